// Assigns the validator role on the dedicated validation resource group, which holds the validation
// VNets (subnet join) and receives the short-lived VMs, NICs and disks. No other scope.
param principalId string
param roleDefinitionId string

resource validator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
  }
}
