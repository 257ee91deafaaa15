// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "etfterm.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>

// The C++/QML form of one manifest type (docs/codegen.md, "Mapping").
namespace MusubiCodegen {

struct Type;
using TypePtr = std::shared_ptr<Type>;

struct StructField
{
    QString wire; // the key on the wire
    TypePtr type;
};

struct Type
{
    enum class Kind {
        String, // String.t(), binary(), atom(), string literal unions
        Integer, // integer(), integer literal unions
        Float, // float(), float literal unions
        Bool, // boolean(), true, false
        Enum, // atom literal unions, a lone atom
        Optional, // T | nil
        Null, // nil alone
        List, // list(T)
        Struct, // %{k: T}, inline blocks: a hoisted value type
        StateRef, // Mod.t() of a :state module
        Json, // anything else: QJsonValue
        JsonObject, // map()
        ChildStore, // Mod.state() (top-level fields only)
        ChildStoreList, // list(Mod.state()) (top-level fields only)
        Stream, // stream(T) (top-level fields only)
        Async, // AsyncResult.of(T) (top-level fields only)
        AsyncStream, // AsyncResult.of(stream(T)) (top-level fields only)
        Upload, // a declared upload
    };
    Kind kind = Kind::Json;
    QStringList atoms; // Enum: the wire strings, declaration order
    TypePtr inner; // Optional, List, Async
    QString module; // StateRef, ChildStore, ChildStoreList
    QList<StructField> fields; // Struct; Stream: the item's keys when known
    QString note; // "Allowed values: ...", "Declared as ...": a doc line
    QString source; // the type as written (Elixir-ish), for docs and warnings

    // Names given by the generator.
    QString cppName; // Enum: the enum's name (nested in enumOwner); Struct: the struct
    QString enumOwner; // Enum: the qualified class the enum is nested in
};

struct TypeContext
{
    QStringList stateModules; // modules of kind :state
    QStringList storeModules; // modules of kind :store
};

// Resolves the type AST \a ast. \a topLevel: a store field (child stores, lists of
// child stores, streams and async values only exist there; elsewhere they are Json).
TypePtr resolveType(const EtfTerm &ast, const TypeContext &context, bool topLevel);

// The module an alias AST names ({:__aliases__, m, [:A, :B]} or a module atom), or "".
QString aliasModule(const EtfTerm &alias);

// The type AST rendered as Elixir-ish source ("String.t() | nil").
QString typeSource(const EtfTerm &ast);

} // namespace MusubiCodegen
