import { test as setup, expect } from '@playwright/test';
import { DEMO_PASSWORD, makeStaffPool, signInOverHttp, storageStateFor, type StaffRole } from './support';

for (const role of ['admin', 'support', 'viewer'] as StaffRole[]) {
  setup(`sign in as ${role}`, async ({ context, baseURL }) => {
    await context.addCookies(await signInOverHttp(baseURL!, `${role}@example.com`, DEMO_PASSWORD));
    const res = await context.request.get('/users', { maxRedirects: 0 });
    expect(res.status(), 'a console page with the new session').toBe(200);
    await context.storageState({ path: storageStateFor(role) });
  });
}

setup('throwaway staff accounts, one staff CLI run for the whole suite', async () => {
  await makeStaffPool();
});
