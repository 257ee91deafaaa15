// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitestdiff_p.h"

#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

namespace {

QJsonObject op(const QString &name, const QString &path)
{
    return QJsonObject{{u"op"_s, name}, {u"path"_s, path}};
}

QJsonObject op(const QString &name, const QString &path, const QJsonValue &value)
{
    return QJsonObject{{u"op"_s, name}, {u"path"_s, path}, {u"value"_s, value}};
}

void diffInto(const QJsonValue &from, const QJsonValue &to, const QString &path, QJsonArray &out)
{
    if (from == to)
        return;
    if (from.isObject() && to.isObject()) {
        const QJsonObject a = from.toObject();
        const QJsonObject b = to.toObject();
        for (auto it = b.constBegin(); it != b.constEnd(); ++it) {
            const QString child = path + u'/' + escapePointerToken(it.key());
            const auto old = a.constFind(it.key());
            if (old == a.constEnd())
                out.append(op(u"add"_s, child, it.value()));
            else
                diffInto(old.value(), it.value(), child, out);
        }
        for (auto it = a.constBegin(); it != a.constEnd(); ++it) {
            if (!b.contains(it.key()))
                out.append(op(u"remove"_s, path + u'/' + escapePointerToken(it.key())));
        }
        return;
    }
    if (from.isArray() && to.isArray()) {
        const QJsonArray a = from.toArray();
        const QJsonArray b = to.toArray();
        const qsizetype common = qMin(a.size(), b.size());
        for (qsizetype i = 0; i < common; ++i)
            diffInto(a.at(i), b.at(i), path + u'/' + QString::number(i), out);
        // Remove from the end so every index stays valid while the ops apply in order.
        for (qsizetype i = a.size() - 1; i >= b.size(); --i)
            out.append(op(u"remove"_s, path + u'/' + QString::number(i)));
        for (qsizetype i = a.size(); i < b.size(); ++i)
            out.append(op(u"add"_s, path + u'/' + QString::number(i), b.at(i)));
        return;
    }
    out.append(op(u"replace"_s, path, to));
}

} // namespace

QString escapePointerToken(const QString &token)
{
    QString escaped = token;
    escaped.replace(u'~', u"~0"_s);
    escaped.replace(u'/', u"~1"_s);
    return escaped;
}

QJsonArray diffJson(const QJsonValue &from, const QJsonValue &to, const QString &basePath)
{
    QJsonArray out;
    diffInto(from, to, basePath, out);
    return out;
}

} // namespace Musubi::detail
