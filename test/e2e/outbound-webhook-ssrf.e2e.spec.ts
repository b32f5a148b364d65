import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestApp, newCompany, type Api } from '../support/app.js';
import type { RunningApp } from '../../src/bootstrap.js';

/** Without WEBHOOK_ALLOW_PRIVATE: endpoints must be https and reach only public addresses (checked here before anything is stored). */
describe('webhook endpoints: private addresses refused', () => {
  let app: RunningApp;
  let admin: Api;

  beforeAll(async () => {
    app = await startTestApp();
    ({ admin } = await newCompany(app, { name: 'Careful' }));
  });
  afterAll(() => app.close());

  it.each([
    ['https://127.0.0.1/hooks', /loopback/],
    ['https://localhost:8443/hooks', /localhost resolves to a private, loopback, link-local or metadata address/],
    ['https://[::1]/hooks', /loopback/],
    ['https://169.254.169.254/latest/meta-data/', /linkLocal/],
    ['https://10.0.0.1/hooks', /private/],
    ['https://192.168.1.20/hooks', /private/],
    ['https://[fd00:ec2::254]/', /uniqueLocal/],
    ['https://2130706433/', /loopback/],
    ['http://hooks.acme.test/partnerflow', /url must use https/],
  ])('refuses %s with a 422 naming url, and stores nothing', async (url, why) => {
    const res = await admin.post('/v1/webhook-endpoints', { url, events: ['invoice.paid'] }).expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(why) }]);
    expect((await admin.get('/v1/webhook-endpoints').expect(200)).body.data).toEqual([]);
  });
});
