# `musubi-cli --demo` runs every command of every demo store (JSON Lines).
musubi_add_test(tst_clidemo SOURCES tst_clidemo.cpp)
target_compile_definitions(tst_clidemo PRIVATE MUSUBI_CLI="$<TARGET_FILE:musubi-cli>")
add_dependencies(tst_clidemo musubi-cli)
