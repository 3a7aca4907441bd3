// Every collection's portal listens on the same fixed E2E ports, so collections run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
