import { ErrorResponse, SearchQuery, SearchResult } from '@gridline/shared';
import { scopeOf, type App } from '../../http/types.js';
import type { SearchService } from './search.service.js';

export function searchRoutes(app: App, search: SearchService): void {
  app.get('/api/search', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['search'],
      summary: 'Search my jurisdiction: residents, households by address, regions by name',
      querystring: SearchQuery,
      response: { 200: SearchResult, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
    handler: (req) => search.search(scopeOf(req), req.query.q),
  });
}
