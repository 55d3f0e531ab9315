import type { HttpHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { galleryOverview } from '../shared/operator/gallery-view';
import type { HttpFunctionDefinition } from './function-definition';
import { operatorResponse } from './operator-response';

/** `GET /api/galleries[?gallery=&image=]`: galleries → image definitions → versions with latest state and newest run. */
export function galleriesGet(services: Services): HttpHandler {
  return (request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    return operatorResponse(log, 'gallery view', () =>
      galleryOverview(
        { ...services, galleryCompute: (id) => services.arm.compute(id) },
        {
          gallery: request.query.get('gallery') ?? undefined,
          image: request.query.get('image') ?? undefined,
        },
      ),
    );
  };
}

export function galleriesGetFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'galleries-get',
    trigger: { type: 'http', route: 'galleries', methods: ['GET'], authLevel: 'function' },
    handler: galleriesGet(services),
  };
}
