// One isolated network per validation region. Validation VMs get a NIC here and nothing else: no
// public IP, no default outbound access, every inbound flow denied (including from inside the VNet),
// and outbound only what the guest agent and Run Command need:
// - WireServer 168.63.129.16, TCP 80 and 32526: "The VM Agent requires outbound communication over
//   ports 80/tcp and 32526/tcp with WireServer"; also the platform DNS (53) of a VNet without custom
//   DNS (learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16). Supported agents
//   download extension packages (Run Command is one) and post their status through it ("you do not
//   need to allow access to Azure Storage in the VM region", learn.microsoft.com/azure/
//   virtual-machines/extensions/features-linux, "Network access").
// - Instance Metadata Service 169.254.169.254, TCP 80 (cloud-init and the agent read it).
// - Azure Storage of the VM's own region (service tag Storage.<region>), TCP 443: agents that do not
//   redirect through WireServer fetch extension artifacts and upload status there (same page). This is
//   the narrowest tag the docs name; it replaces the former AzureCloud:443, which reached every endpoint
//   hosted in Azure. Run Command's note asks for 443 to "Azure public IP addresses" (AzureCloud) only
//   when the agent cannot use WireServer (learn.microsoft.com/azure/virtual-machines/linux/run-command).
// Everything else outbound, the VNet and the internet included, is denied. Platform DNS, DHCP and IMDS
// are not subject to NSGs unless targeted by their service tags (learn.microsoft.com/azure/
// virtual-network/network-security-groups-overview, "Azure platform considerations"); the explicit
// rules say what the design relies on and keep working if that ever changes.
param region string
param tags object
param addressPrefix string

var wireServer = '168.63.129.16'
var instanceMetadata = '169.254.169.254'

resource nsg 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-gg-validation-${region}'
  location: region
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'deny-all-inbound'
        properties: {
          description: 'Nothing may connect to a validation VM; gallery-guard talks to it through Run Command only.'
          priority: 100
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
      {
        name: 'allow-wireserver-agent'
        properties: {
          description: 'Guest agent to WireServer (goal state, extensions, Run Command, status): TCP 80 and 32526.'
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: '${wireServer}/32'
          destinationPortRanges: ['80', '32526']
        }
      }
      {
        name: 'allow-platform-dns'
        properties: {
          description: 'Azure-provided DNS at 168.63.129.16 (the VNet has no custom DNS).'
          priority: 110
          direction: 'Outbound'
          access: 'Allow'
          protocol: '*'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: '${wireServer}/32'
          destinationPortRange: '53'
        }
      }
      {
        name: 'allow-instance-metadata'
        properties: {
          description: 'Instance Metadata Service (cloud-init, guest agent): TCP 80.'
          priority: 120
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: '${instanceMetadata}/32'
          destinationPortRange: '80'
        }
      }
      {
        name: 'allow-regional-storage'
        properties: {
          description: 'Extension artifacts and status for agents that do not go through WireServer: Storage in this region only.'
          priority: 130
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Storage.${region}'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-all-outbound'
        properties: {
          description: 'An image under test reaches nothing else: not the internet, not other Azure endpoints, not the VNet.'
          priority: 4000
          direction: 'Outbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet-gg-validation-${region}'
  location: region
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'validation'
        properties: {
          addressPrefix: addressPrefix
          networkSecurityGroup: { id: nsg.id }
          // A private subnet: no implicit outbound public IP for its VMs
          // (learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access). WireServer
          // and IMDS are host-node addresses and stay reachable; nothing on the internet does.
          defaultOutboundAccess: false
          // Without a public path, regional Storage (the NSG's one 443 rule) is reached over a service
          // endpoint, for this region's accounts only.
          serviceEndpoints: [{ service: 'Microsoft.Storage', locations: [region] }]
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

output subnetId string = '${vnet.id}/subnets/validation'
