// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

#include <QtCore/QPointer>

class DemoChatRoom;

/*!
    \class DemoChatStore
    \brief \c Demo.ChatStore: a chat room with a stream of messages.

    The room is the mount's instance id: every client mounting
    \c{Demo.ChatStore:<room>} on the same server is in the same room and sees
    the messages any of them sends, live; other rooms see nothing of them.
    Like a Phoenix chat, a sent message is stored in the room (the newest
    \c MessageLimit are kept) and broadcast on the PubSub topic
    \c{chat:<room>} (MusubiTestStore::broadcastFrom()); every other mount of
    the room receives it in handleInfo() and appends it to its stream. A
    client that mounts (or remounts after a reconnect) gets the room's stored
    messages first.

    Fields: \c title (mount param \c title, "Lobby" by default) and \c messages,
    a stream of \c{{"id","author","body","at"}} items, newest appended, at most
    \c MessageLimit kept. Ids are \c{msg-<n>}, counted per room. Command
    \c send \c{{"author","body"}} appends a message and replies
    \c{{"id": ...}}; an empty (or blank) body fails with reason
    \c empty_body. The sender (only) also gets the push event
    \c message_sent \c{{"id": ...}}.

    A new room starts with a few welcome messages (mount param \c seed: false
    on the room's first mount starts it empty).

    \sa MusubiTestStore::subscribe()
*/
class DemoChatStore : public MusubiTestStore
{
    Q_OBJECT

public:
    //! How many messages the stream (and the room) keeps (oldest dropped first).
    static constexpr int MessageLimit = 200;

    explicit DemoChatStore(QObject *parent = nullptr);

    void mount(const QJsonObject &params) override;
    QJsonObject render() const override;
    void handleInfo(const QString &topic, const QJsonValue &message) override;

private:
    //! Stores a new message in the room and shows it; returns it.
    QJsonObject post(const QString &author, const QString &body);
    void show(const QJsonObject &message);

    QPointer<DemoChatRoom> m_room;
    QString m_topic;
};
