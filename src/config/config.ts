/**
 * The whole configuration of Passerelles in one validated schema: each key has a doc line, a
 * default and an environment variable. `loadConfig(env)` checks everything at start and names the
 * bad key in its error.
 */
import { z } from 'zod';
import { PasserellesError } from '../domain/errors.ts';

interface KeySpec<T extends z.ZodType> { env: string; doc: string; schema: T }

const key = <T extends z.ZodType>(env: string, doc: string, schema: T): KeySpec<T> => ({ env, doc, schema });

const PORT_FORM = 'un entier de 0 à 65535 attendu (ex. 3000)';
const port = z.coerce.number({ error: PORT_FORM }).int(PORT_FORM).min(0, PORT_FORM).max(65535, PORT_FORM);
const POSITIVE_FORM = 'un entier strictement positif attendu';
const positiveInt = z.coerce.number({ error: POSITIVE_FORM }).int(POSITIVE_FORM).positive(POSITIVE_FORM);
const SHARE_FORM = 'un nombre entre 0 et 1 attendu (ex. 0.05)';
const share = z.coerce.number({ error: SHARE_FORM }).min(0, SHARE_FORM).max(1, SHARE_FORM);
const fr = z.locales.fr();

export const CONFIG_KEYS = {
  port: key('PORT', 'Port HTTP du service (0 = port libre choisi par le système).', port.default(3000)),
  host: key('HOST', "Adresse d'écoute du service HTTP.", z.string().min(1).default('127.0.0.1')),
  databaseUrl: key('DATABASE_URL',
    'URL PostgreSQL (postgres://…). Absente : base embarquée PGlite dans PASSERELLES_DATA_DIR.',
    z.string().regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://').optional()),
  dataDir: key('PASSERELLES_DATA_DIR', 'Dossier de la base embarquée (sans DATABASE_URL).', z.string().min(1).default('./.data')),
  logLevel: key('LOG_LEVEL', 'Niveau des journaux : fatal, error, warn, info, debug, trace ou silent.',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  demoData: key('PASSERELLES_DEMO_DATA',
    'Charger les données de démonstration au démarrage si la base est vide (true/false).',
    z.enum(['true', 'false']).default('true').transform((v) => v === 'true')),
  indexSnapshot: key('PASSERELLES_INDEX_SNAPSHOT',
    'Garder un instantané de l’index de mise en relation pour démarrer vite (fichier DOSSIER.index à côté de la base embarquée, table index_snapshots sur un serveur PostgreSQL) : true/false.',
    z.enum(['true', 'false']).default('true').transform((v) => v === 'true')),
  embeddedThread: key('PASSERELLES_EMBEDDED_THREAD',
    'La base embarquée du service tourne sur un fil d’exécution à elle, pour que ses écritures et lectures ne retiennent pas les requêtes HTTP : true/false.',
    z.enum(['true', 'false']).default('true').transform((v) => v === 'true')),
  bodyLimit: key('PASSERELLES_BODY_LIMIT', 'Taille maximale d’un corps de requête JSON (ex. 1mb).', z.string().regex(/^\d+(kb|mb)$/i, 'format attendu : 512kb, 1mb…').default('1mb')),
  importLimit: key('PASSERELLES_IMPORT_LIMIT', 'Taille maximale d’un fichier importé par l’API (ex. 50mb).', z.string().regex(/^\d+(kb|mb)$/i, 'format attendu : 512kb, 50mb…').default('50mb')),
  corsOrigins: key('PASSERELLES_CORS_ORIGINS', 'Origines autorisées pour CORS, séparées par des virgules (vide = fermé).', z.string().default('')),
  rateLimitPerMinute: key('PASSERELLES_RATE_LIMIT', 'Requêtes autorisées par clé d’API et par minute.', positiveInt.default(600)),
  authFailuresPerMinute: key('PASSERELLES_AUTH_FAILURES',
    'Clés d’API refusées permises par adresse de client et par minute ; au-delà, cette adresse reçoit 429 (avec Retry-After) jusqu’à la fin de la minute.',
    positiveInt.default(20)),
  shutdownTimeoutMs: key('PASSERELLES_SHUTDOWN_TIMEOUT_MS', 'Délai accordé aux requêtes en cours à l’arrêt (ms).', positiveInt.default(10_000)),
  rankingRetentionDays: key('PASSERELLES_RANKING_RETENTION_DAYS',
    'Durée de conservation des classements servis (jours) ; purgés au démarrage et par « passerelles rankings purge ».',
    positiveInt.default(180)),
  swapShare: key('PASSERELLES_SWAP_SHARE',
    'Part des classements où deux résultats voisins sont échangés au hasard (mesure du biais de position), entre 0 et 1.',
    z.coerce.number().min(0).max(1).default(0.05)),
  feedbackEffects: key('PASSERELLES_FEEDBACK_EFFECTS',
    'Effets immédiats des avis : ce qu’un demandeur a écarté (pas intéressé, partenariat) ne lui est plus proposé (true/false).',
    z.enum(['true', 'false']).default('true').transform((v) => v === 'true')),
  maxDelegatesPerWeek: key('PASSERELLES_MAX_DELEGATES_PER_WEEK',
    'Nombre de délégués différents à qui une structure peut être proposée sur 7 jours glissants (0 = sans limite).',
    z.coerce.number().int().min(0).default(5)),
  rankingLogCapacity: key('PASSERELLES_RANKING_LOG_CAPACITY',
    'Classements gardés en mémoire en attente d’écriture ; au-delà, ils sont comptés comme perdus (métrique).',
    positiveInt.default(10_000)),
  promotionMargin: key('PASSERELLES_PROMOTION_MARGIN',
    'Gain de NDCG@10 que la borne basse du bootstrap doit dépasser pour qu’un modèle appris soit promu.', z.coerce.number().min(0).max(1).default(0.01)),
  promotionConfidence: key('PASSERELLES_PROMOTION_CONFIDENCE',
    'Confiance de cette borne basse (bootstrap sur les demandeurs), entre 0,5 et 0,999.', z.coerce.number().min(0.5).max(0.999).default(0.95)),
  promotionMinRequesters: key('PASSERELLES_PROMOTION_MIN_REQUESTERS',
    'Nombre minimal de demandeurs évalués sur la période tenue à part pour décider une promotion.', positiveInt.default(20)),
  holdoutShare: key('PASSERELLES_HOLDOUT_SHARE',
    'Part des retours les plus récents tenue à part pour évaluer le modèle appris.', z.coerce.number().gt(0).lt(1).default(0.25)),
  trainingWindowDays: key('PASSERELLES_TRAINING_WINDOW_DAYS', 'Classements des N derniers jours lus pour l’entraînement.', positiveInt.default(180)),
  attributionDays: key('PASSERELLES_ATTRIBUTION_DAYS',
    'Un retour sur une paire envoyé sans identifiant de classement est rattaché au dernier classement qui la montrait, jusqu’à N jours avant.', positiveInt.default(30)),
  trainedModelsDir: key('PASSERELLES_TRAINED_MODELS_DIR',
    'Dossier des fichiers des modèles appris (un VERSION.json chacun). Absent : PASSERELLES_DATA_DIR/models.', z.string().min(1).optional()),
  modelPollSeconds: key('PASSERELLES_MODEL_POLL_SECONDS',
    'Le service vérifie le modèle courant en base toutes les N secondes et adopte un modèle promu sans redémarrer.', z.coerce.number().positive().default(5)),
  interleavingShare: key('PASSERELLES_INTERLEAVING_SHARE',
    'Part des classements qui entrelacent le candidat le plus récent avec le modèle courant (comparaison en ligne) ; 0 = jamais.', share.default(0)),
  batchK: key('PASSERELLES_BATCH_K', 'Correspondances retenues par fiche dans le calcul de nuit (top-k).', positiveInt.max(200).default(10)),
  batchKeepRuns: key('PASSERELLES_BATCH_KEEP_RUNS', 'Nombre de calculs de nuit dont les résultats sont conservés en base.', positiveInt.default(7)),
  batchShardSize: key('PASSERELLES_BATCH_SHARD_SIZE', 'Fiches par tranche du calcul de nuit (une tranche = une région, un intervalle d’identifiants).', positiveInt.default(2000)),
  batchCron: key('PASSERELLES_BATCH_CRON',
    'Heure du calcul de nuit lancé par `serve` (expression cron, heure de Paris) ; off pour ne pas le lancer.',
    z.string().min(1).default('0 3 * * *')),
  batchQueue: key('PASSERELLES_BATCH_QUEUE',
    'Confier les tranches du calcul de nuit aux processus `passerelles worker` (file pg-boss, serveur PostgreSQL seulement) (true/false).',
    z.enum(['true', 'false']).default('false').transform((v) => v === 'true')),
  batchShardTimeoutS: key('PASSERELLES_BATCH_SHARD_TIMEOUT_S',
    'Durée après laquelle une tranche prise par un worker disparu est confiée à un autre (secondes).', positiveInt.default(600)),
  batchThreads: key('PASSERELLES_BATCH_THREADS',
    'Fils de calcul d’un processus `passerelles worker` (chacun construit son propre index ; 1 = le processus calcule seul). Absent : un par cœur, au plus un par 4 Go de mémoire.',
    positiveInt.max(64).optional()),
  matchThreads: key('PASSERELLES_MATCH_THREADS',
    'Fils de classement du service : les correspondances demandées à l’API y sont calculées, à côté du fil qui répond en HTTP ; chacun garde sa copie de l’index. Absent : un par cœur au-delà du premier (au plus 3), aucun au-delà de 100 000 fiches (chaque copie coûterait la mémoire de l’index) ; 0 : le fil principal classe seul.',
    z.coerce.number().int().min(0).max(64).optional()),
  batchShardDelayMs: key('PASSERELLES_BATCH_SHARD_DELAY_MS',
    'Pause avant l’écriture de chaque tranche (ms ; tests et démonstrations de reprise seulement).', z.coerce.number().int().min(0).default(0)),
  reportsDir: key('PASSERELLES_REPORTS_DIR', 'Dossier où sont écrits les rapports du calcul de nuit (HTML, CSV, JSON).', z.string().min(1).default('./reports')),
  reportGoodScore: key('PASSERELLES_REPORT_GOOD_SCORE',
    'Score à partir duquel une correspondance compte comme bonne dans les rapports (couverture des besoins).',
    z.coerce.number().min(0).max(1).default(0.5)),
} as const;

type Keys = typeof CONFIG_KEYS;
export type Config = { [K in keyof Keys]: z.output<Keys[K]['schema']> };

/** Reads and validates every key from the environment; throws `config.invalid` naming each bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: { key: string; message: string }[] = [];
  for (const [name, spec] of Object.entries(CONFIG_KEYS)) {
    const raw = env[spec.env];
    const parsed = spec.schema.safeParse(raw === '' && name !== 'corsOrigins' ? undefined : raw, { error: fr.localeError });
    if (parsed.success) out[name] = parsed.data;
    else problems.push({ key: spec.env, message: `${[...new Set(parsed.error.issues.map((i) => i.message))].join('; ')}, reçu « ${raw} »` });
  }
  if (problems.length > 0) {
    const text = problems.map((p) => `${p.key} : ${p.message}`).join(' ; ');
    throw new PasserellesError('config.invalid', `Configuration invalide — ${text}`, 500, problems);
  }
  return out as Config;
}

/** One line per key, for `passerelles --help`: variable, default, doc. */
export function describeConfig(): string {
  return Object.values(CONFIG_KEYS).map((spec) => {
    const def = spec.schema.safeParse(undefined);
    const shown = def.success && def.data !== undefined ? String(def.data) : '(aucune)';
    return `  ${spec.env.padEnd(32)} ${spec.doc} Défaut : ${shown}.`;
  }).join('\n');
}
