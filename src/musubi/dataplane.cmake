# Data plane: patch engine, store tree, stores, streams, upload state.
target_sources(musubi_core PRIVATE
)
