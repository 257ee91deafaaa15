// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi-codegen: typed C++/QML stores from Musubi's codegen manifest (docs/codegen.md).

#include "generator.h"
#include "manifest.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace MusubiCodegen;

namespace {

void say(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stderr);
}

// The first line where \a a and \a b differ (1-based).
int firstDifference(const QByteArray &a, const QByteArray &b)
{
    const QList<QByteArray> left = a.split('\n');
    const QList<QByteArray> right = b.split('\n');
    for (int i = 0; i < std::max(left.size(), right.size()); ++i) {
        if (left.value(i) != right.value(i))
            return i + 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"musubi-codegen"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MUSUBI_CODEGEN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Writes typed C++/QML stores from a Musubi codegen manifest directory\n"
            u"(_build/<env>/musubi-codegen of a Mix project: one <Module>/state.term each).\n"
            u"Writes <uri lower case>.h and .cpp into --out. Exit status: 0 done,\n"
            u"1 --check found drift, 2 bad input."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"manifest-dir"_s, u"The manifest directory."_s);
    const QCommandLineOption out({u"o"_s, u"out"_s}, u"Where the files go (default: .)."_s,
                                 u"dir"_s, u"."_s);
    const QCommandLineOption uri(
            u"qml-uri"_s, u"The QML module URI; also names the header (default: MusubiStores)."_s,
            u"uri"_s, u"MusubiStores"_s);
    const QCommandLineOption ns(
            u"namespace"_s, u"A C++ namespace around the generated classes (e.g. App::Stores)."_s,
            u"ns"_s);
    const QCommandLineOption check(u"check"_s,
                                   u"Write nothing; fail (exit 1) when the files in --out differ "
                                   u"from what would be written."_s);
    const QCommandLineOption verbose(
            u"verbose"_s, u"Also list each field that is read as an untyped QJsonValue."_s);
    parser.addOptions({out, uri, ns, check, verbose});
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        say(u"musubi-codegen: expected one manifest directory (see --help)"_s);
        return 2;
    }
    QString error;
    const auto dir = readManifestDir(positional.first(), &error);
    if (!dir) {
        say(u"musubi-codegen: error: "_s + error);
        return 2;
    }
    for (const QString &skipped : dir->skipped)
        say(u"musubi-codegen: warning: %1; skipped"_s.arg(skipped));

    GeneratorOptions options;
    options.qmlUri = parser.value(uri);
    options.cppNamespace = parser.value(ns);
    const auto generated = generate(dir->modules, options, &error);
    if (!generated) {
        say(u"musubi-codegen: error: "_s + error);
        return 2;
    }
    if (parser.isSet(verbose)) {
        for (const QString &note : generated->notes)
            say(u"musubi-codegen: note: "_s + note);
    }

    const QDir target(parser.value(out));
    if (parser.isSet(check)) {
        int drift = 0;
        for (const GeneratedFile &file : generated->files) {
            const QString path = target.filePath(file.name);
            QFile existing(path);
            if (!existing.open(QIODevice::ReadOnly)) {
                say(u"musubi-codegen: drift: %1 is missing"_s.arg(path));
                ++drift;
                continue;
            }
            const QByteArray content = existing.readAll();
            if (content != file.content) {
                say(u"musubi-codegen: drift: %1 differs from the manifest (first at line %2)"_s.arg(
                        path, QString::number(firstDifference(content, file.content))));
                ++drift;
            }
        }
        if (drift) {
            say(u"musubi-codegen: %1 file(s) out of date; re-run without --check"_s.arg(drift));
            return 1;
        }
        return 0;
    }
    if (!QDir().mkpath(target.path())) {
        say(u"musubi-codegen: error: cannot create %1"_s.arg(target.path()));
        return 2;
    }
    for (const GeneratedFile &file : generated->files) {
        const QString path = target.filePath(file.name);
        QFile existing(path);
        if (existing.open(QIODevice::ReadOnly) && existing.readAll() == file.content)
            continue; // unchanged: keep the timestamp, so nothing rebuilds
        existing.close();
        QSaveFile save(path);
        if (!save.open(QIODevice::WriteOnly) || save.write(file.content) != file.content.size()
            || !save.commit()) {
            say(u"musubi-codegen: error: cannot write %1 (%2)"_s.arg(path, save.errorString()));
            return 2;
        }
    }
    return 0;
}
