// One isolated network per validation region. Validation VMs get a NIC here and nothing else:
// no public IP, every inbound flow denied (including from inside the VNet), outbound limited to
// HTTPS towards Azure (Run Command and the guest agent need it) and DNS via the platform.
param region string
param tags object
param addressPrefix string

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
        name: 'allow-https-to-azure'
        properties: {
          description: 'Guest agent and Run Command reach Azure endpoints over 443.'
          priority: 100
          direction: 'Outbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: 'AzureCloud'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-internet-outbound'
        properties: {
          description: 'An image under test must not reach the internet.'
          priority: 4000
          direction: 'Outbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Internet'
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
          // Outbound to Azure endpoints without any public IP or NAT gateway in this design; the NSG
          // above limits it to AzureCloud:443.
          defaultOutboundAccess: true
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

output subnetId string = '${vnet.id}/subnets/validation'
