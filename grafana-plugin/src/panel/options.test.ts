import { PanelOptionsEditorBuilder, standardEditorsRegistry, type StandardEditorsRegistryItem } from '@grafana/data';
import { DEFAULT_THRESHOLDS } from '../components/NodeCard';
import { plugin } from './module';
import { OVERVIEW_THRESHOLD } from '../pages/Pulse/layout';
import { buildOptions, DEFAULT_OPTIONS } from './options';
import type { PulsePanelOptions } from './types';

// Grafana fills the standard editors' registry when it starts; this stand-in gives each editor
// kind the builder asks for its own component, so the test can tell which editor an option got.
const EDITOR_KINDS = ['text', 'radio', 'boolean', 'number'] as const;
const editorOf = (kind: string) => standardEditorsRegistry.get(kind).editor;
standardEditorsRegistry.setInit(() =>
  EDITOR_KINDS.map((kind): StandardEditorsRegistryItem => ({ id: kind, name: kind, editor: () => null }))
);

function registered() {
  const builder = new PanelOptionsEditorBuilder<PulsePanelOptions>();
  buildOptions(builder);
  return builder.getItems();
}

describe('Pulse panel options', () => {
  it('registers every option once, with its default', () => {
    const items = registered();
    expect(items.map((item) => item.path).sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort());
    for (const item of items) {
      expect(item.defaultValue).toEqual(DEFAULT_OPTIONS[item.path as keyof PulsePanelOptions]);
    }
  });

  it('offers every node status, and percentages from 0 to 100 for the thresholds', () => {
    const items = Object.fromEntries(registered().map((item) => [item.path, item]));
    expect(items.status.settings.options.map((o: { value: string }) => o.value)).toEqual([
      'all',
      'online',
      'stale',
      'offline',
    ]);
    expect(items.cpuWarning.settings).toMatchObject({ min: 0, max: 100 });
    expect(items.memoryCritical.category).toEqual(['Thresholds']);
  });

  it('offers auto, cards and overview, auto by default, and CPU or memory for the tiles unless cards are forced', () => {
    const items = Object.fromEntries(registered().map((item) => [item.path, item]));
    expect(items.view.settings.options.map((o: { value: string }) => o.value)).toEqual(['auto', 'cards', 'overview']);
    expect(items.view.description).toContain(String(OVERVIEW_THRESHOLD));
    expect(items.tileMetric.settings.options.map((o: { value: string }) => o.value)).toEqual(['cpu', 'memory']);
    expect(DEFAULT_OPTIONS).toMatchObject({ view: 'auto', tileMetric: 'cpu' });
    const shown = (view: PulsePanelOptions['view']) => items.tileMetric.showIf?.({ ...DEFAULT_OPTIONS, view });
    expect([shown('cards'), shown('auto'), shown('overview')]).toEqual([false, true, true]);
  });

  it('takes the thresholds’ defaults from the node card', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({
      cpuWarning: DEFAULT_THRESHOLDS.warning,
      cpuCritical: DEFAULT_THRESHOLDS.critical,
      memoryWarning: DEFAULT_THRESHOLDS.warning,
      memoryCritical: DEFAULT_THRESHOLDS.critical,
      service: '',
      status: 'all',
      live: true,
    });
  });

  it('uses the right editor for each option', () => {
    const editors = Object.fromEntries(registered().map((item) => [item.path, item.editor]));
    expect(editors).toEqual({
      service: editorOf('text'),
      status: editorOf('radio'),
      live: editorOf('boolean'),
      view: editorOf('radio'),
      tileMetric: editorOf('radio'),
      cpuWarning: editorOf('number'),
      cpuCritical: editorOf('number'),
      memoryWarning: editorOf('number'),
      memoryCritical: editorOf('number'),
    });
  });

  it('is wired into the panel plugin', () => {
    const builder = new PanelOptionsEditorBuilder<PulsePanelOptions>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    expect(builder.getItems().map((item) => item.path)).toEqual(registered().map((item) => item.path));
  });
});
