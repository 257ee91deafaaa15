// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "manifest.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

// Writes the C++ sources of the typed stores of a manifest (docs/codegen.md).
namespace MusubiCodegen {

struct GeneratorOptions
{
    QString qmlUri = QStringLiteral("MusubiStores"); // also names the header: musubistores.h
    QString cppNamespace; // "" or "App::Stores": the classes go below it
};

struct GeneratedFile
{
    QString name; // file name, no directory
    QByteArray content;
};

struct Generated
{
    QList<GeneratedFile> files; // <uri lower>.h, <uri lower>.cpp
    QStringList notes; // a line per field, argument or key that fell back to QJsonValue
};

// The names the mapping uses (exposed for tests).
QString lowerCamel(const QString &wire); // unread_count -> unreadCount
QString pascalCase(const QString &wire); // needs-review -> NeedsReview
bool isReservedMemberName(const QString &name); // C++ keywords and QObject/view members

// Returns nullopt with \a error for options that cannot name C++ or QML things
// (a bad URI or namespace).
std::optional<Generated> generate(const QList<ManifestModule> &modules,
                                  const GeneratorOptions &options, QString *error);

} // namespace MusubiCodegen
