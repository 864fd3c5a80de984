/** What the nightly run makes of the feedback loop's training (batch.models.ts nightlyModel). */
import { describe, expect, it } from 'vitest';
import { nightlyModel } from '../../src/batch/batch.models.ts';
import type { TrainOutcome } from '../../src/models/models.train.ts';
import type { ModelVersion } from '../../src/models/models.repository.ts';
import { parseModel } from '../../src/ranking/model.ts';

const models = { toRankingModel: (v: ModelVersion) => parseModel(v.model, v.version) };
const version = { version: 'appris-20261201-020000', model: { version: 'appris-20261201-020000', kind: 'linear', weights: { text: 2 } } } as unknown as ModelVersion;
const trained = (promoted: boolean) => ({ status: 'trained', message: '', version, report: {}, promoted, file: null }) as unknown as TrainOutcome;

describe('the nightly run after training', () => {
  it('scores with the new version when training promoted it', () => {
    const out = nightlyModel(trained(true), models);
    expect(out.trained).toBe(true);
    expect(out.model?.version).toBe('appris-20261201-020000');
  });

  it('keeps the current model when the new version stayed a candidate', () => {
    expect(nightlyModel(trained(false), models)).toEqual({ trained: true });
  });

  it('says nothing was retrained when no new feedback arrived', () => {
    expect(nightlyModel({ status: 'no_new_feedback', message: 'rien', lastTrained: 'v1' }, models)).toEqual({ trained: false });
    expect(nightlyModel({ status: 'no_feedback', message: 'rien' }, models)).toEqual({ trained: false });
  });
});
