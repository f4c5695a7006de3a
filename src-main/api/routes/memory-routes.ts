import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

export function memoryRoutes(os: ApiImplementer, app: WarRoom) {
  const { store } = app.memory;
  return {
    search: os.memory.search.handler(({ input }) => store.search(input.query, input)),
    get: os.memory.get.handler(({ input }) => store.get(input.id)),
    list: os.memory.list.handler(({ input }) => store.list(input)),
    update: os.memory.update.handler(({ input: { id, ...patch }, signal }) => store.update(id, patch, signal)),
    delete: os.memory.delete.handler(({ input }) => ({ deleted: store.delete(input.ids) })),
    pin: os.memory.pin.handler(({ input }) => store.setPinned(input.id, input.pinned)),
    stats: os.memory.stats.handler(({ input }) => store.stats(input.namespace)),
    ingest: os.memory.ingest.handler(({ input, signal }) =>
      app.memory.ingestEvents(
        { root: input.directory, namespace: input.namespace, maxFileBytes: input.maxFileBytes },
        signal,
      ),
    ),
    reembed: os.memory.reembed.handler(({ signal }) => app.memory.syncVectorsEvents(signal)),
    export: os.memory.export.handler(({ input }) => app.memory.exportJsonLines(input.namespaces)),
    import: os.memory.import.handler(({ input, signal }) => app.memory.importJsonLines(input.jsonLines, signal)),
  };
}
