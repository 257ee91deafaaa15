// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "demochatstore.h"

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

DemoChatStore::DemoChatStore(QObject *parent)
    : MusubiTestStore(parent)
{
    setState({{u"title"_s, u"Lobby"_s}});
    onCommand(u"send"_s, [this](const QJsonObject &payload) {
        const QString body = payload.value(u"body"_s).toString().trimmed();
        if (body.isEmpty())
            return MusubiTestReply::error(u"empty_body"_s);
        QString author = payload.value(u"author"_s).toString().trimmed();
        if (author.isEmpty())
            author = u"anonymous"_s;
        const QString id = append(author, body);
        pushEvent(u"message_sent"_s, QJsonObject{{u"id"_s, id}});
        return MusubiTestReply::ok({{u"id"_s, id}});
    });
}

void DemoChatStore::mount(const QJsonObject &params)
{
    const QString title = params.value(u"title"_s).toString();
    if (!title.isEmpty())
        setValue(u"title"_s, title);
    // Reset first: a remount (reconnect) must rebuild the stream, not extend it.
    streamReset(u"messages"_s);
    if (params.value(u"seed"_s).toBool(true)) {
        append(u"musubi"_s,
               u"Welcome to the lobby. Messages are a server stream: the newest 200 are kept."_s);
        append(u"ada"_s, u"Type below and press Send: every client in this room sees it."_s);
    }
}

QJsonObject DemoChatStore::render() const
{
    QJsonObject out = state();
    out.insert(u"messages"_s, streamSlot(u"messages"_s));
    return out;
}

QString DemoChatStore::append(const QString &author, const QString &body)
{
    const QString id = u"msg-%1"_s.arg(m_nextId++);
    const QJsonObject item{
            {u"id"_s, id},
            {u"author"_s, author},
            {u"body"_s, body},
            {u"at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
    };
    // Appended (at -1) with a limit: clients drop the oldest items from the front.
    streamInsert(u"messages"_s, id, item, -1, -MessageLimit);
    return id;
}
