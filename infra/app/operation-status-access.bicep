// Azure serves the status of long-running operations at subscription scope
// (/subscriptions/{id}/providers/Microsoft.Compute/locations/{region}/operations/{id}), so polling them
// needs an assignment there. This role holds only those status reads (see role-actions.json).
targetScope = 'subscription'

param principalId string
param roleDefinitionId string

resource statusReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
  }
}
