// Entry point for the Functions host (bundled into dist/bundle/index.js, package.json "main"): build
// services from app settings once per worker, then register every definition with app.*. A bad
// setting stops start-up with a ConfigError.
import { loadConfig } from '../shared/config';
import { createServices } from '../shared/app/services';
import { functionDefinitions } from './definitions';
import { registerWithFunctionsHost } from './register';

registerWithFunctionsHost(functionDefinitions(createServices(loadConfig())));
