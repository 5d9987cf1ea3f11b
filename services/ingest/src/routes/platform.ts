import type { Pseudonymizer } from '@mirrorwatch/identifiers';
import type { FastifyPluginAsync } from 'fastify';
import { createPublisher, type Publisher, type PublisherOptions } from '../publish.js';
import { reportRoute } from './reports.js';
import { type SignedRouteHooks, type SignedRouteOptions, signedRouteHooks } from './signed.js';
import { webhookRoute } from './webhooks.js';

export interface PlatformRouteOptions extends SignedRouteOptions, PublisherOptions {
  pseudonymizer: Pseudonymizer;
}

/** What each signed route needs: its guard, the hashing of identifiers and the one publish path. */
export interface PlatformRouteContext {
  signed(batchField: string): SignedRouteHooks;
  pseudonymizer: Pseudonymizer;
  publisher: Publisher;
}

/**
 * The signed routes a platform (or its trusted flaggers) posts to: `/v1/webhooks/:platform` and
 * `/v1/reports/:platform`. In this plugin a JSON body is kept as bytes until its signature is
 * verified: the HMAC covers the exact bytes sent, and nothing unauthenticated is parsed.
 */
export const platformRoutes: FastifyPluginAsync<PlatformRouteOptions> = async (app, options) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  app.decorateRequest('receivedAtMs', 0);
  app.decorateRequest('isBatch', false);

  const context: PlatformRouteContext = {
    signed: (batchField) => signedRouteHooks(options, batchField),
    pseudonymizer: options.pseudonymizer,
    publisher: createPublisher(options),
  };
  webhookRoute(app, context);
  reportRoute(app, context);
};
