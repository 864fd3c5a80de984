/**
 * The stages of loading the index, named for /readyz and the logs. Apart from matching.sync.ts so
 * that a service can show them before loading the engine's code (it binds its port first).
 */
export type LoadStage = 'loading_snapshot' | 'catching_up' | 'reading_records' | 'building_index' | 'saving_snapshot';

export const STAGE_LABELS: Record<LoadStage, string> = {
  loading_snapshot: 'chargement de l’instantané de l’index',
  catching_up: 'rattrapage des enregistrements modifiés depuis l’instantané',
  reading_records: 'lecture des enregistrements',
  building_index: 'construction de l’index',
  saving_snapshot: 'enregistrement de l’instantané de l’index',
};

export interface LoadProgress {
  stage: LoadStage;
  /** Records read, analysed or loaded so far in this stage, when it counts them. */
  records?: number;
  /** Records to go through in this stage, when known. */
  total?: number;
}
