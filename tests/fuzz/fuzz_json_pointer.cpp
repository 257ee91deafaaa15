// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// libFuzzer target: RFC 6901 JSON pointers (Musubi::detail::JsonPointer).
// The input is a UTF-8 pointer. Properties checked, beyond "no crash, no
// sanitizer report":
//  - parse() accepts exactly what starts with '/' (or is empty) and has no bad '~' escape;
//  - build(parse(p)) parses back to the same tokens (escaping round-trips);
//  - arrayIndex() accepts only canonical decimal numbers and returns their value.

#include <musubiwiretree_p.h>

#include <QtCore/QString>

#include <cstdint>
#include <cstdlib>

using Musubi::detail::JsonPointer;

static void check(bool condition)
{
    if (!condition)
        std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString pointer =
            QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<QStringList> tokens = JsonPointer::parse(pointer, &error);
    if (!tokens) {
        check(!error.isEmpty());
        check(!pointer.isEmpty());
        return 0;
    }
    check(pointer.isEmpty() || pointer.startsWith(u'/'));
    check(tokens->size() == pointer.count(u'/'));

    const QString rebuilt = JsonPointer::build(*tokens);
    const std::optional<QStringList> again = JsonPointer::parse(rebuilt);
    check(again.has_value());
    check(*again == *tokens);

    for (const QString &token : *tokens) {
        const std::optional<QStringList> single =
                JsonPointer::parse(u'/' + JsonPointer::escapeToken(token));
        check(single && single->size() == 1 && single->first() == token);
        if (const std::optional<qsizetype> index = JsonPointer::arrayIndex(token)) {
            check(*index >= 0);
            check(QString::number(*index) == token);
        }
    }
    return 0;
}
