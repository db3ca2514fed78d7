import { test as setup, expect } from '@playwright/test';
import { signIn, storageStateFor, type StaffRole } from './support';

for (const role of ['admin', 'support', 'viewer'] as StaffRole[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, `${role}@example.com`);
    await expect(page).toHaveURL(/^https?:\/\/[^/]+\/$/);
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
