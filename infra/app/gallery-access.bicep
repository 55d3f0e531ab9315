// Assigns the gallery operator role on ONE gallery (not its resource group): gallery-guard can read
// and flag versions of the galleries listed in GG_GALLERY_SCOPES and nothing else.
param galleryName string
param principalId string
param roleDefinitionId string

resource gallery 'Microsoft.Compute/galleries@2023-07-03' existing = {
  name: galleryName
}

resource operator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: gallery
  name: guid(gallery.id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
  }
}
