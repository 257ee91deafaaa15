// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// libFuzzer target: the Erlang External Term Format reader of musubi-codegen
// (tools/codegen/etfterm.h). The input is untrusted ETF bytes. Properties checked,
// beyond "no crash, no sanitizer report, no unbounded allocation":
//  - a refused input comes with a one-line error that names its byte offset;
//  - an accepted term encodes (both atom encodings, OTP <= 25 and OTP 26+) to bytes
//    that decode to an equal term, and encoding is deterministic;
//  - toString() stays bounded.
// Seeds: tests/fuzz/corpus/etf (genuine term_to_binary output,
// tests/codegen/fixtures/etf/write-etf-fixtures.exs).

#include <etfterm.h>

#include <QtCore/QString>

#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;

using MusubiCodegen::decodeEtf;
using MusubiCodegen::encodeEtf;
using MusubiCodegen::EtfTerm;

static void check(bool condition)
{
    if (!condition)
        std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<EtfTerm> term = decodeEtf(input, &error);
    if (!term) {
        check(error.startsWith(u"offset "_s));
        check(!error.contains(u'\n'));
        return 0;
    }
    check(error.isEmpty());

    for (bool utf8Atoms : {true, false}) {
        const QByteArray encoded = encodeEtf(*term, utf8Atoms);
        QString again;
        const std::optional<EtfTerm> back = decodeEtf(encoded, &again);
        check(back.has_value());
        check(*back == *term);
        check(*term == *back);
        check(encodeEtf(*back, utf8Atoms) == encoded);
    }

    const QString text = term->toString();
    check(text.size() <= 4001);
    return 0;
}
