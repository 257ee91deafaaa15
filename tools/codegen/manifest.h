// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "etfterm.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

// A Musubi codegen manifest (docs/codegen.md, "The manifest"): one map per store or
// state module, read from `<dir>/<Module>/state.term`.
namespace MusubiCodegen {

struct ManifestArg
{
    QString name;
    EtfTerm type;
    QString doc;
};

struct ManifestField
{
    QString name;
    EtfTerm type;
};

struct ManifestCommand
{
    QString name;
    QList<ManifestArg> payload;
    QList<ManifestArg> reply;
};

struct ManifestEvent
{
    QString name;
    QList<ManifestArg> payload;
};

struct ManifestAttr
{
    QString name;
    EtfTerm type;
    bool required = false;
};

struct ManifestModule
{
    QString name; // "Shop.CartStore" (without "Elixir.")
    bool isStore = false; // kind :store (missing or nil: :state)
    QList<ManifestField> fields; // declaration order, `__streams__` dropped
    QList<ManifestCommand> commands;
    QList<ManifestEvent> events;
    QList<ManifestAttr> attrs;
    QStringList uploads;
    QString source;
    QString file; // the .term file it came from
};

// Reads one decoded manifest term. Returns nullopt with \a error when the term is not a
// manifest map (unknown keys and option values are ignored).
std::optional<ManifestModule> parseManifest(const EtfTerm &term, QString *error);

struct ManifestDir
{
    QList<ManifestModule> modules; // sorted by module name
    QStringList skipped; // "<path>: <why>", one per file that is not a manifest
    QStringList files; // every state.term file read
};

// Reads every `<dir>/<*>/state.term` (and `<dir>/*.term`). Returns nullopt with
// \a error for a missing or unreadable directory or one without any manifest; files
// that are not manifests are listed in ManifestDir::skipped. A module found twice keeps
// the first file (by path) and lists the other as skipped.
std::optional<ManifestDir> readManifestDir(const QString &dir, QString *error);

} // namespace MusubiCodegen
