export type { OpenMint } from '@/lib/vocabulary';
