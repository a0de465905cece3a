import { collapseIds, defaultRouteOf, pathOf } from '../../src/slowlog/request-name';

describe('request names', () => {
  it('drops the query string and the fragment', () => {
    expect(pathOf('/search?q=secret&page=2')).toBe('/search');
    expect(pathOf('/docs#intro')).toBe('/docs');
    expect(pathOf('/?token=x')).toBe('/');
  });

  it('reduces an absolute-form target to its path', () => {
    expect(pathOf('http://example.test:8080/a/b?c=d')).toBe('/a/b');
    expect(pathOf('http://example.test')).toBe('/');
  });

  it('names a missing target "/"', () => {
    expect(pathOf(undefined)).toBe('/');
    expect(pathOf('')).toBe('/');
  });

  it('collapses numeric, UUID and long hex segments to :id', () => {
    expect(collapseIds('/users/42/orders/7')).toBe('/users/:id/orders/:id');
    expect(collapseIds('/files/3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe('/files/:id');
    expect(collapseIds('/objects/507f1f77bcf86cd799439011')).toBe('/objects/:id');
  });

  it('keeps segments that name a route', () => {
    expect(collapseIds('/v2/users/me/settings')).toBe('/v2/users/me/settings');
    expect(collapseIds('/api/deadbeef')).toBe('/api/deadbeef');
  });

  it('combines both by default', () => {
    expect(defaultRouteOf('/users/42/avatar.png?size=128')).toBe('/users/:id/avatar.png');
  });
});
