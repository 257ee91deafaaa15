// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

/*!
    \class DemoChatStore
    \brief \c Demo.ChatStore: a chat room with a stream of messages.

    Fields: \c title (mount param \c title, "Lobby" by default) and \c messages,
    a stream of \c{{"id","author","body","at"}} items, newest appended, at most
    \c MessageLimit kept. Command \c send \c{{"author","body"}} appends a message
    and replies \c{{"id": ...}}; an empty (or blank) body fails with reason
    \c empty_body. Every sent message also raises the push event
    \c message_sent \c{{"id": ...}}.

    A few welcome messages are seeded on mount (mount param \c seed: false
    starts empty).
*/
class DemoChatStore : public MusubiTestStore
{
    Q_OBJECT

public:
    //! How many messages the stream keeps (oldest dropped first).
    static constexpr int MessageLimit = 200;

    explicit DemoChatStore(QObject *parent = nullptr);

    void mount(const QJsonObject &params) override;
    QJsonObject render() const override;

private:
    QString append(const QString &author, const QString &body);

    int m_nextId = 1;
};
