import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 's2s:public-route';

/**
 * Opens a route to anonymous callers. Everything else needs an admin key (deny by default): only
 * health, metrics, docs and the public OAuth endpoints carry this.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
