import { matchRoute } from '../../../../local/runner/route-match';

describe('matchRoute', () => {
  it.each([
    ['events/eventgrid', '/events/eventgrid', {}],
    ['events/eventgrid', '/Events/EventGrid/', {}],
    ['runs/{runId}', '/runs/abc%7C1', { runId: 'abc|1' }],
    ['runs/{runId?}', '/runs', {}],
    ['runs/{id:int}', '/runs/7', { id: '7' }],
  ])('%s matches %s', (template, path, params) => {
    expect(matchRoute(template, path)).toEqual(params);
  });

  it.each([
    ['events/eventgrid', '/events'],
    ['events/eventgrid', '/events/eventgrid/extra'],
    ['runs/{runId}', '/runs'],
    ['runs', '/jobs'],
  ])('%s does not match %s', (template, path) => {
    expect(matchRoute(template, path)).toBeUndefined();
  });
});
