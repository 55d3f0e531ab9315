import type { CapturedPost } from './notification-sinks';

interface TextElement {
  readonly type?: string;
  readonly text?: string;
  readonly facts?: readonly { title: string; value: string }[];
  readonly items?: readonly TextElement[];
}

function cardLines(elements: readonly TextElement[], indent = '  '): string[] {
  return elements.flatMap((e) => {
    if (e.type === 'TextBlock' && e.text !== undefined)
      return [`${indent}${e.text.replace(/\n/g, `\n${indent}`)}`];
    if (e.type === 'FactSet' && e.facts !== undefined)
      return e.facts.map((f) => `${indent}${f.title}: ${f.value}`);
    if (e.items !== undefined) return cardLines(e.items, `${indent}  `);
    return [];
  });
}

/** A human-readable rendering of a captured card or page, for the demo's console. */
export function formatCapturedPost(post: CapturedPost): string {
  if (post.channel === 'teams') {
    const body = post.body as { attachments?: { content?: { body?: TextElement[] } }[] };
    const card = body.attachments?.[0]?.content?.body ?? [];
    return [`── Teams card → ${post.path} ──`, ...cardLines(card)].join('\n');
  }
  const page = post.body as {
    event_action?: string;
    action?: string;
    dedup_key?: string;
    dedupKey?: string;
    payload?: { summary?: string; severity?: string };
    summary?: string;
    severity?: string;
  };
  const action = page.event_action ?? page.action ?? '?';
  const summary = page.payload?.summary ?? page.summary ?? '';
  const severity = page.payload?.severity ?? page.severity ?? '';
  const label = post.channel === 'pagerduty' ? 'PagerDuty' : 'On-call webhook';
  // "trigger"/"resolve" are the Events API's actions and "error" a severity: say what they mean, so a
  // page does not read like a failure of the sink ("PagerDuty trigger error").
  const what =
    action === 'trigger'
      ? `page opened${severity === '' ? '' : ` (severity ${severity})`}`
      : action === 'resolve'
        ? 'page resolved'
        : action === 'acknowledge'
          ? 'page acknowledged'
          : `${action}${severity === '' ? '' : ` (severity ${severity})`}`;
  return [
    `── ${label} ${what} ──`,
    `  dedup_key: ${page.dedup_key ?? page.dedupKey ?? ''}`,
    ...(summary === '' ? [] : [`  ${summary}`]),
  ].join('\n');
}
