// The workbook and alert rules operators use in Azure, on the metrics the code emits
// (shared/telemetry/metric-names.ts; a test checks every query against that list). The OpenTelemetry
// exporter writes them to Application Insights' customMetrics, their dimensions to customDimensions.
param location string
param tags object
param token string
param applicationInsightsId string
@description('Action group the alerts notify (resource id); empty = alerts fire without notifying.')
param alertActionGroupId string = ''

var queries = {
  verdicts: 'customMetrics | where name == "gg.verdicts" | extend verdict = tostring(customDimensions["verdict"]) | summarize verdicts = sum(value) by verdict, bin(timestamp, 1h) | render columnchart'
  validationDuration: 'customMetrics | where name == "gg.validation.duration" | extend verdict = tostring(customDimensions["verdict"]) | summarize minutes = max(valueMax) / 60 by verdict, bin(timestamp, 1h) | render timechart'
  eventToVerdict: 'customMetrics | where name == "gg.event_to_verdict" | summarize avgMinutes = sum(valueSum) / sum(valueCount) / 60, maxMinutes = max(valueMax) / 60 by bin(timestamp, 1h) | render timechart'
  slotWait: 'customMetrics | where name == "gg.slot.wait" | summarize avgSeconds = sum(valueSum) / sum(valueCount), maxSeconds = max(valueMax) by bin(timestamp, 1h) | render timechart'
  armRequests: 'customMetrics | where name == "gg.arm.requests" | extend status = tostring(customDimensions["status"]), method = tostring(customDimensions["method"]) | summarize requests = sum(value) by status, bin(timestamp, 15m) | render columnchart'
  armThrottled: 'customMetrics | where name == "gg.arm.throttled" | extend method = tostring(customDimensions["method"]) | summarize throttled = sum(value) by method, bin(timestamp, 15m) | render columnchart'
  failures: 'customMetrics | where name in ("gg.remediation.failures", "gg.notification.failures") | extend action = tostring(customDimensions["action"]), channel = tostring(customDimensions["channel"]) | summarize failures = sum(value) by name, action, channel, bin(timestamp, 1h)'
  poison: 'customMetrics | where name == "gg.queue.poison" | extend queue = tostring(customDimensions["queue"]) | summarize messages = max(value) by queue, bin(timestamp, 5m) | render timechart'
  stuck: 'customMetrics | where name == "gg.runs.stuck" | summarize stuck = max(value) by bin(timestamp, 5m) | render timechart'
}

var alertQueries = {
  poison: 'customMetrics | where name == "gg.queue.poison" | summarize messages = max(value) | where messages > 0'
  stuck: 'customMetrics | where name == "gg.runs.stuck" | summarize stuck = max(value) | where stuck > 0'
  inconclusive: 'customMetrics | where name == "gg.verdicts" | extend verdict = tostring(customDimensions["verdict"]) | summarize inconclusive = sumif(value, verdict == "Inconclusive"), total = sum(value) | where inconclusive >= 3 and inconclusive * 2 > total'
  notification: 'customMetrics | where name == "gg.notification.failures" | extend channel = tostring(customDimensions["channel"]) | summarize failures = sum(value) by channel | where failures > 0'
  remediation: 'customMetrics | where name == "gg.remediation.failures" | extend action = tostring(customDimensions["action"]) | summarize failures = sum(value) by action | where failures > 0'
}

var alerts = [
  { key: 'poison', title: 'Poison messages', severity: 2, window: 'PT15M', text: 'Run-queue messages landed in the poison queue: gg poison list, then gg poison redrive.' }
  { key: 'stuck', title: 'Stuck validation runs', severity: 2, window: 'PT15M', text: 'A validation run is overdue past the stuck threshold: gg inflight, gg runs show.' }
  { key: 'inconclusive', title: 'Inconclusive verdict spike', severity: 3, window: 'PT1H', text: 'Most verdicts in the last hour were Inconclusive: Azure (quota, capacity, throttling) is failing validations, not the images.' }
  { key: 'notification', title: 'Notification failures', severity: 2, window: 'PT30M', text: 'Teams cards or PagerDuty pages could not be delivered: check the webhook URLs and routing key.' }
  { key: 'remediation', title: 'Remediation failures', severity: 1, window: 'PT30M', text: 'A quarantine step failed for good: a Failed version may still be latest. gg runs show; check the Contributor role on the gallery.' }
]

var workbookItems = [
  { type: 1, content: { json: '## gallery-guard\nVerdicts, durations, ARM traffic and failures from the metrics gallery-guard emits.' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Verdicts by result', query: queries.verdicts, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'categoricalbar' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Validation duration (slowest, minutes)', query: queries.validationDuration, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Event to verdict (minutes)', query: queries.eventToVerdict, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'VM slot wait (seconds)', query: queries.slotWait, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'ARM requests by status', query: queries.armRequests, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'categoricalbar' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'ARM 429s by method', query: queries.armThrottled, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'categoricalbar' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Remediation and notification failures', query: queries.failures, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'table' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Poison queue', query: queries.poison, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Stuck runs', query: queries.stuck, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'gallery-guard-workbook', token)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'gallery-guard'
    category: 'workbook'
    sourceId: applicationInsightsId
    serializedData: string({ version: 'Notebook/1.0', items: workbookItems, isLocked: false })
  }
}

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in alerts: {
    name: 'gg-${alert.key}-${token}'
    location: location
    tags: tags
    properties: {
      displayName: 'gallery-guard: ${alert.title}'
      description: alert.text
      severity: alert.severity
      enabled: true
      scopes: [applicationInsightsId]
      evaluationFrequency: 'PT5M'
      windowSize: alert.window
      criteria: {
        allOf: [
          {
            query: alertQueries[alert.key]
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      autoMitigate: true
      actions: { actionGroups: empty(alertActionGroupId) ? [] : [alertActionGroupId] }
    }
  }
]

output workbookId string = workbook.id
