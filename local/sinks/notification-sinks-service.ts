import type { LocalService } from '../local-service';
import { startNotificationSinks } from './notification-sinks';
import { formatCapturedPost } from './print-captured-post';

/** Not a secret: only the local PagerDuty sink ever sees it. */
const LOCAL_ROUTING_KEY = 'local-demo-routing-key';

/**
 * Local Teams/PagerDuty stand-ins for `npm start`, unless a real Teams webhook or PagerDuty routing
 * key is configured. Every card and page they receive is printed, so the demo shows them.
 */
export const notificationSinksService: LocalService = {
  name: 'Notification sinks',
  async start(env, { output }) {
    if ((env.GG_TEAMS_DEFAULT_WEBHOOK_URL ?? '') !== '' || (env.GG_PAGERDUTY_ROUTING_KEY ?? '') !== '') {
      return undefined;
    }
    const sinks = await startNotificationSinks({
      onPost: (post) => output.say(formatCapturedPost(post), { channel: post.channel, path: post.path }),
    });
    return {
      env: {
        GG_TEAMS_DEFAULT_WEBHOOK_URL: sinks.teamsUrl('default'),
        GG_PAGERDUTY_ROUTING_KEY: LOCAL_ROUTING_KEY,
        GG_PAGERDUTY_EVENTS_URL: sinks.pagerdutyUrl,
      },
      describe: [`Teams/PagerDuty sinks: ${sinks.url} (captured posts: ${sinks.url}/captured)`],
      close: () => sinks.close(),
    };
  },
};
