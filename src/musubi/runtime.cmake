# Runtime: connection, roots, commands, events, recovery.
target_sources(musubi_core PRIVATE
    musubicommanderror.h musubicommanderror.cpp
    musubicommandwatch_p.h musubicommandwatch.cpp
    musubiconnection.h musubiconnection_p.h musubiconnection.cpp
    musubiroot.h musubiroot.cpp
    musubirootmount_p.h musubirootmount.cpp
)
