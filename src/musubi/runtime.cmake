# Runtime: connection, roots, commands, events, recovery.
target_sources(musubi_core PRIVATE
    musubicommanderror.h musubicommanderror.cpp
)
