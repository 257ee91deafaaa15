// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "manifest.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace MusubiCodegen {

namespace {

QString moduleName(const EtfTerm &term)
{
    if (!term.isAtom())
        return {};
    QString name = term.atom;
    if (name.startsWith(u"Elixir."_s))
        name = name.mid(7);
    return name;
}

// A name: an atom (or, leniently, a binary).
std::optional<QString> nameOf(const EtfTerm *term)
{
    if (!term)
        return std::nullopt;
    if (term->isAtom())
        return term->atom;
    if (term->isBinary())
        return term->text();
    return std::nullopt;
}

const EtfTerm *listOrNull(const EtfTerm &map, QStringView key, QString *error, bool *ok)
{
    const EtfTerm *value = map.value(key);
    if (!value || value->isNil())
        return nullptr;
    if (!value->isList()) {
        *ok = false;
        *error = u"%1 is not a list"_s.arg(key);
        return nullptr;
    }
    return value;
}

std::optional<QList<ManifestArg>> args(const EtfTerm *list, const QString &where, QString *error)
{
    QList<ManifestArg> out;
    if (!list)
        return out;
    for (const EtfTerm &item : list->items) {
        const auto name = nameOf(item.value(u"name"));
        const EtfTerm *type = item.value(u"type");
        if (!item.isMap() || !name || !type) {
            *error = u"%1: an argument is not a map with name and type"_s.arg(where);
            return std::nullopt;
        }
        ManifestArg arg{*name, *type, {}};
        if (const EtfTerm *opts = item.value(u"opts")) {
            if (const EtfTerm *doc = opts->keyword(u"doc"); doc && doc->isBinary())
                arg.doc = doc->text();
        }
        out.append(arg);
    }
    return out;
}

} // namespace

std::optional<ManifestModule> parseManifest(const EtfTerm &term, QString *error)
{
    if (!term.isMap()) {
        *error = u"not a map"_s;
        return std::nullopt;
    }
    ManifestModule module;
    module.name = moduleName(term.value(u"module") ? *term.value(u"module") : EtfTerm());
    if (module.name.isEmpty()) {
        *error = u"no module atom"_s;
        return std::nullopt;
    }
    const EtfTerm *kind = term.value(u"kind");
    module.isStore = kind && kind->isAtom(u"store");
    if (const EtfTerm *source = term.value(u"source"); source && source->isBinary())
        module.source = source->text();

    bool ok = true;
    const EtfTerm *fields = listOrNull(term, u"fields", error, &ok);
    if (!ok || !fields) {
        if (ok)
            *error = u"no fields list"_s;
        return std::nullopt;
    }
    for (const EtfTerm &field : fields->items) {
        const auto name = nameOf(field.value(u"name"));
        const EtfTerm *type = field.value(u"type");
        if (!field.isMap() || !name || !type) {
            *error = u"a field is not a map with name and type"_s;
            return std::nullopt;
        }
        if (*name == u"__streams__"_s)
            continue;
        module.fields.append({*name, *type});
    }

    if (const EtfTerm *commands = listOrNull(term, u"commands", error, &ok)) {
        for (const EtfTerm &command : commands->items) {
            const auto name = nameOf(command.value(u"name"));
            if (!command.isMap() || !name) {
                *error = u"a command has no name"_s;
                return std::nullopt;
            }
            const QString where = u"command %1"_s.arg(*name);
            auto payload = args(command.value(u"payload_fields"), where, error);
            auto reply = args(command.value(u"reply_fields"), where, error);
            if (!payload || !reply)
                return std::nullopt;
            module.commands.append({*name, *payload, *reply});
        }
    }
    if (!ok)
        return std::nullopt;
    if (const EtfTerm *events = listOrNull(term, u"events", error, &ok)) {
        for (const EtfTerm &event : events->items) {
            const auto name = nameOf(event.value(u"name"));
            if (!event.isMap() || !name) {
                *error = u"an event has no name"_s;
                return std::nullopt;
            }
            auto payload = args(event.value(u"payload_fields"), u"event %1"_s.arg(*name), error);
            if (!payload)
                return std::nullopt;
            module.events.append({*name, *payload});
        }
    }
    if (!ok)
        return std::nullopt;
    if (const EtfTerm *attrs = listOrNull(term, u"attrs", error, &ok)) {
        for (const EtfTerm &attr : attrs->items) {
            const auto name = nameOf(attr.value(u"name"));
            const EtfTerm *type = attr.value(u"type");
            if (!attr.isMap() || !name || !type) {
                *error = u"an attr is not a map with name and type"_s;
                return std::nullopt;
            }
            const EtfTerm *required = attr.value(u"required");
            module.attrs.append({*name, *type, required && required->isAtom(u"true")});
        }
    }
    if (!ok)
        return std::nullopt;
    if (const EtfTerm *uploads = listOrNull(term, u"uploads", error, &ok)) {
        for (const EtfTerm &upload : uploads->items) {
            const auto name = nameOf(upload.value(u"name"));
            if (!upload.isMap() || !name) {
                *error = u"an upload has no name"_s;
                return std::nullopt;
            }
            module.uploads.append(*name);
        }
    }
    if (!ok)
        return std::nullopt;
    return module;
}

std::optional<ManifestDir> readManifestDir(const QString &dir, QString *error)
{
    const QFileInfo info(dir);
    if (!info.exists()) {
        *error = u"%1: no such directory"_s.arg(dir);
        return std::nullopt;
    }
    if (!info.isDir()) {
        *error = u"%1: not a directory"_s.arg(dir);
        return std::nullopt;
    }
    QStringList paths;
    QDirIterator it(dir, {u"*.term"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        paths.append(it.next());
    paths.sort();
    if (paths.isEmpty()) {
        *error = u"%1: no manifest (*/state.term) found; run `mix compile` first (Musubi writes "
                 u"_build/<env>/musubi-codegen/<Module>/state.term)"_s.arg(dir);
        return std::nullopt;
    }
    ManifestDir out;
    QStringList seen;
    for (const QString &path : std::as_const(paths)) {
        out.files.append(path);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            out.skipped.append(u"%1: cannot read (%2)"_s.arg(path, file.errorString()));
            continue;
        }
        const QByteArray bytes = file.readAll();
        QString why;
        const auto term = decodeEtf(bytes, &why);
        if (!term) {
            out.skipped.append(u"%1: not a manifest (%2)"_s.arg(path, why));
            continue;
        }
        auto module = parseManifest(*term, &why);
        if (!module) {
            out.skipped.append(u"%1: not a manifest (%2)"_s.arg(path, why));
            continue;
        }
        if (seen.contains(module->name)) {
            out.skipped.append(u"%1: module %2 was read already"_s.arg(path, module->name));
            continue;
        }
        seen.append(module->name);
        module->file = path;
        out.modules.append(*module);
    }
    if (out.modules.isEmpty()) {
        *error = u"%1: none of the %2 .term files is a manifest:\n  %3"_s.arg(
                dir, QString::number(paths.size()), out.skipped.join(u"\n  "_s));
        return std::nullopt;
    }
    std::sort(out.modules.begin(), out.modules.end(),
              [](const ManifestModule &a, const ManifestModule &b) { return a.name < b.name; });
    return out;
}

} // namespace MusubiCodegen
