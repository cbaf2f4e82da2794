import { ReloadSequencer } from './reload.sequencer.js';

describe('ReloadSequencer', () => {
  it('discards a reload that started earlier but finished later', async () => {
    const sequencer = new ReloadSequencer();
    const applied: string[] = [];
    let releaseFirst!: (value: string) => void;
    const first = sequencer.run(() => new Promise<string>((resolve) => (releaseFirst = resolve)), (value) => applied.push(value));
    await sequencer.run(async () => 'second (newer)', (value) => applied.push(value));
    releaseFirst('first (older)');
    await first;
    expect(applied).toEqual(['second (newer)']);
  });

  it('applies reloads that finish in order', async () => {
    const sequencer = new ReloadSequencer();
    const applied: number[] = [];
    await sequencer.run(async () => 1, (value) => applied.push(value));
    await sequencer.run(async () => 2, (value) => applied.push(value));
    expect(applied).toEqual([1, 2]);
  });
});
