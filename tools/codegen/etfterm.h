// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>
#include <utility>

// Erlang External Term Format: the subset that `:erlang.term_to_binary/1` writes for a
// Musubi codegen manifest (docs/codegen.md, "The manifest"), OTP 25 and OTP 26+ atom
// encodings alike. A small, self-contained, fuzzed unit (tests/fuzz/fuzz_etf.cpp):
// every input is untrusted.
namespace MusubiCodegen {

struct EtfTerm
{
    enum class Kind {
        Integer, // SMALL_INTEGER_EXT, INTEGER_EXT, SMALL_BIG_EXT / LARGE_BIG_EXT that fit 64 bits
        Float, // NEW_FLOAT_EXT
        Atom, // ATOM_EXT, SMALL_ATOM_EXT (Latin-1), ATOM_UTF8_EXT, SMALL_ATOM_UTF8_EXT
        Binary, // BINARY_EXT
        List, // LIST_EXT (proper lists only), NIL_EXT (empty), STRING_EXT (a list of integers)
        Tuple, // SMALL_TUPLE_EXT, LARGE_TUPLE_EXT
        Map, // MAP_EXT
    };

    Kind kind = Kind::List;
    qint64 integer = 0;
    double real = 0;
    QString atom; // Kind::Atom: the atom's text
    QByteArray binary; // Kind::Binary: the bytes
    QList<EtfTerm> items; // Kind::List and Kind::Tuple: the elements
    QList<std::pair<EtfTerm, EtfTerm>> pairs; // Kind::Map: key/value pairs in wire order

    bool isAtom() const { return kind == Kind::Atom; }
    bool isAtom(QStringView name) const { return kind == Kind::Atom && atom == name; }
    bool isNil() const { return isAtom(u"nil"); } // the atom nil, not []
    bool isList() const { return kind == Kind::List; }
    bool isTuple() const { return kind == Kind::Tuple; }
    bool isTuple(qsizetype arity) const { return kind == Kind::Tuple && items.size() == arity; }
    bool isMap() const { return kind == Kind::Map; }
    bool isBinary() const { return kind == Kind::Binary; }
    bool isInteger() const { return kind == Kind::Integer; }
    bool isFloat() const { return kind == Kind::Float; }
    // The binary as UTF-8 text (invalid sequences replaced; a leading U+FEFF is kept).
    QString text() const;

    // Map lookup by an atom key; nullptr when absent or not a map.
    const EtfTerm *value(QStringView atomKey) const;
    // Keyword-list lookup (`[{key, value}, ...]` with atom keys); nullptr when absent.
    const EtfTerm *keyword(QStringView atomKey) const;

    // Deep equality by value (map pairs compared regardless of order).
    friend bool operator==(const EtfTerm &a, const EtfTerm &b);
    friend bool operator!=(const EtfTerm &a, const EtfTerm &b) { return !(a == b); }

    // A readable Elixir-like rendering, for error messages and tests
    // (`%{module: :"Elixir.Shop.Cart", fields: [...]}`, `{:|, [line: 1], [:a, nil]}`):
    // keyword lists as `[line: 1]`, binaries as escaped "..." (or `<<0, 255>>` when not
    // UTF-8). Bounded: beyond about 4000 characters the text is cut and ends with "…";
    // containers nested deeper than EtfLimits::maxDepth's default (512) show as "…".
    QString toString() const;

    // Convenience constructors (tests, the generator).
    static EtfTerm makeAtom(const QString &name);
    static EtfTerm makeInteger(qint64 value);
    static EtfTerm makeFloat(double value);
    static EtfTerm makeBinary(const QByteArray &bytes);
    static EtfTerm makeList(QList<EtfTerm> items);
    static EtfTerm makeTuple(QList<EtfTerm> items);
    static EtfTerm makeMap(QList<std::pair<EtfTerm, EtfTerm>> pairs);
};

struct EtfLimits
{
    int maxDepth = 512; // nesting of lists, tuples and maps
    qsizetype maxTerms = 4'000'000; // terms in one document
};

// Decodes one term: \a data must start with the version byte 131 and hold exactly one
// term. Returns nullopt for anything else and sets \a error to a one-line reason with the
// byte offset ("offset 1: unknown tag 80 (compressed terms are not supported)"). Never
// allocates more than the input can describe: every announced length is checked against
// the bytes that remain before anything is reserved. Refused like binary_to_term/1 does:
// improper lists, atoms over 255 characters or not UTF-8 (the UTF-8 tags), non-finite
// floats; and integers that do not fit 64 bits. Map pairs are kept as on the wire
// (duplicate keys included; value() finds the first).
std::optional<EtfTerm> decodeEtf(QByteArrayView data, QString *error = nullptr,
                                 const EtfLimits &limits = {});

// Encodes \a term (tests and the fuzz corpus) as `:erlang.term_to_binary/2` does, so a
// decoded Erlang term encodes back to the same bytes: atoms as SMALL_ATOM_UTF8_EXT /
// ATOM_UTF8_EXT when \a utf8Atoms (minor_version 2, the OTP 26+ default), else ATOM_EXT
// when the atom is Latin-1 (OTP <= 25) and the UTF-8 tags when not; integers as
// SMALL_INTEGER_EXT / INTEGER_EXT / SMALL_BIG_EXT; non-empty lists of at most 65535
// integers 0..255 as STRING_EXT, other lists as LIST_EXT; map pairs in their order.
QByteArray encodeEtf(const EtfTerm &term, bool utf8Atoms = true);

} // namespace MusubiCodegen
