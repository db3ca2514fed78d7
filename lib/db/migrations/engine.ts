export type Engine = 'sqlite' | 'postgres';

export function timeColumn(engine: Engine): 'timestamptz' | 'text' {
  return engine === 'postgres' ? 'timestamptz' : 'text';
}
