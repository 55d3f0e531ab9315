import { app } from '@azure/functions';
import { STORAGE_CONNECTION, type FunctionDefinition } from './function-definition';

/** Registers each definition with the Functions host; one adapter per trigger type, nothing else. */
export function registerWithFunctionsHost(definitions: readonly FunctionDefinition[]): void {
  for (const definition of definitions) {
    const { name, trigger } = definition;
    switch (trigger.type) {
      case 'http': {
        const { handler } = definition as Extract<FunctionDefinition, { trigger: { type: 'http' } }>;
        app.http(name, {
          route: trigger.route,
          methods: [...trigger.methods],
          authLevel: trigger.authLevel,
          handler,
        });
        break;
      }
      case 'queue': {
        const { handler } = definition as Extract<FunctionDefinition, { trigger: { type: 'queue' } }>;
        app.storageQueue(name, { queueName: trigger.queueName, connection: STORAGE_CONNECTION, handler });
        break;
      }
      case 'timer': {
        const { handler } = definition as Extract<FunctionDefinition, { trigger: { type: 'timer' } }>;
        app.timer(name, { schedule: trigger.schedule, handler });
        break;
      }
    }
  }
}
