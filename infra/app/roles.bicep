// gallery-guard's three custom roles. Their actions come from infra/role-actions.json, the single list
// that tests check against the ARM operations the code performs. No wildcards, no data actions.
targetScope = 'subscription'

param environmentName string
@description('Gallery resource ids: the gallery operator and operation status reader roles must be assignable in their subscriptions too.')
param galleryIds array = []

var spec = loadJsonContent('../role-actions.json')
// A custom role can only be assigned within its assignableScopes (Azure custom roles,
// learn.microsoft.com/azure/role-based-access-control/custom-roles), and galleries may live in other
// subscriptions than the deployment. Creating the definition needs write access in each of them.
var gallerySubscriptions = union([subscription().id], map(galleryIds, id => '/subscriptions/${split(id, '/')[2]}'))
// Role names are unique per tenant: qualify them with the environment and the subscription.
var suffix = ' (${environmentName}, ${take(subscription().subscriptionId, 8)})'

resource galleryOperator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'gallery-guard-gallery-operator')
  properties: {
    roleName: '${spec.galleryOperator.roleName}${suffix}'
    description: spec.galleryOperator.description
    type: 'CustomRole'
    assignableScopes: gallerySubscriptions
    permissions: [
      {
        actions: map(spec.galleryOperator.actions, a => a.action)
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource validator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'gallery-guard-validator')
  properties: {
    roleName: '${spec.validator.roleName}${suffix}'
    description: spec.validator.description
    type: 'CustomRole'
    assignableScopes: [subscription().id]
    permissions: [
      {
        actions: map(spec.validator.actions, a => a.action)
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource operationStatusReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'gallery-guard-operation-status-reader')
  properties: {
    roleName: '${spec.operationStatusReader.roleName}${suffix}'
    description: spec.operationStatusReader.description
    type: 'CustomRole'
    assignableScopes: gallerySubscriptions
    permissions: [
      {
        actions: map(spec.operationStatusReader.actions, a => a.action)
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

output galleryOperatorRoleId string = galleryOperator.id
output validatorRoleId string = validator.id
output operationStatusReaderRoleId string = operationStatusReader.id
