// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "demochatstore.h"

#include <musubitestserver.h>

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

/*!
    \internal
    The stored side of one chat room (what a Phoenix app keeps in its
    database): the id counter and the newest messages. One per room and
    server, owned by the server, so it outlives the mounts that come and go;
    the live side is the PubSub topic.
*/
class DemoChatRoom : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    //! The room \a name of \a server, created on first use.
    static DemoChatRoom *of(MusubiTestServer *server, const QString &name, bool *created)
    {
        const QString objectName = u"Demo.ChatStore room "_s + name;
        auto *room = server->findChild<DemoChatRoom *>(objectName, Qt::FindDirectChildrenOnly);
        *created = !room;
        if (!room) {
            room = new DemoChatRoom(server);
            room->setObjectName(objectName);
        }
        return room;
    }

    QJsonObject store(const QString &author, const QString &body)
    {
        const QJsonObject message{
                {u"id"_s, u"msg-%1"_s.arg(m_nextId++)},
                {u"author"_s, author},
                {u"body"_s, body},
                {u"at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        };
        m_messages.append(message);
        if (m_messages.size() > DemoChatStore::MessageLimit)
            m_messages.removeFirst();
        return message;
    }

    QList<QJsonObject> messages() const { return m_messages; }

private:
    int m_nextId = 1;
    QList<QJsonObject> m_messages;
};

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
        const QJsonObject message = post(author, body);
        const QString id = message.value(u"id"_s).toString();
        pushEvent(u"message_sent"_s, QJsonObject{{u"id"_s, id}});
        return MusubiTestReply::ok({{u"id"_s, id}});
    });
}

void DemoChatStore::mount(const QJsonObject &params)
{
    const QString title = params.value(u"title"_s).toString();
    if (!title.isEmpty())
        setValue(u"title"_s, title);

    // The room is the instance id: the part of "<module>:<id>" after the module.
    const QString room = rootId().mid(module().size() + 1);
    bool created = true;
    if (MusubiTestServer *host = server())
        m_room = DemoChatRoom::of(host, room, &created);
    else
        m_room = new DemoChatRoom(this); // not served: a room of its own
    m_topic = u"chat:"_s + room;
    // Subscribed before the stored messages are read: nothing is missed, and
    // since a broadcast only reaches the subscribers it found, nothing comes twice.
    subscribe(m_topic);

    if (created && params.value(u"seed"_s).toBool(true)) {
        m_room->store(
                u"musubi"_s,
                u"Welcome to the lobby. Messages are a server stream: the newest 200 are kept."_s);
        m_room->store(u"ada"_s, u"Type below and press Send: every client in this room sees it."_s);
    }
    // Reset first: a remount (reconnect) must rebuild the stream, not extend it.
    streamReset(u"messages"_s);
    const auto messages = m_room->messages();
    for (const QJsonObject &message : messages)
        show(message);
}

QJsonObject DemoChatStore::render() const
{
    QJsonObject out = state();
    out.insert(u"messages"_s, streamSlot(u"messages"_s));
    return out;
}

void DemoChatStore::handleInfo(const QString &topic, const QJsonValue &message)
{
    // Another client of the room posted: show it here too.
    if (topic == m_topic && message.isObject())
        show(message.toObject());
    else
        MusubiTestStore::handleInfo(topic, message);
}

QJsonObject DemoChatStore::post(const QString &author, const QString &body)
{
    if (!m_room) // never mounted: a room of its own
        m_room = new DemoChatRoom(this);
    const QJsonObject message = m_room->store(author, body);
    show(message);
    broadcastFrom(m_topic, message);
    return message;
}

void DemoChatStore::show(const QJsonObject &message)
{
    // Appended (at -1) with a limit: clients drop the oldest items from the front.
    streamInsert(u"messages"_s, message.value(u"id"_s).toString(), message, -1, -MessageLimit);
}

#include "demochatstore.moc"
