import type * as AdaptiveCardsModule from 'adaptivecards';

// The package's CommonJS entry points at ES modules; its UMD bundle runs in Node without a DOM for parsing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

/**
 * Parses a card with Microsoft's own Adaptive Cards object model (the `adaptivecards` package, the
 * renderer Teams' web client uses) and returns every problem it reports: unknown element or action
 * types, invalid property values, missing required properties, a version above the target.
 */
export function adaptiveCardProblems(card: unknown, targetVersion = '1.4'): string[] {
  const problems: string[] = [];
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  const validation = parsed.validateProperties();
  for (const event of validation.validationEvents) problems.push(`validate: ${event.message}`);
  const version = (card as { version?: unknown }).version;
  if (typeof version !== 'string' || !/^1\.\d$/.test(version) || Number(version) > Number(targetVersion)) {
    problems.push(`version "${String(version)}" is not 1.x ≤ ${targetVersion}`);
  }
  if ((card as { type?: unknown }).type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  return problems;
}
