// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <memory>

#include "phoenixscheduler.h"

class PhoenixPush;
class PhoenixSocket;
struct PhoenixChannelPrivate;
struct PhoenixMessage;

class MUSUBI_PHOENIX_EXPORT PhoenixChannel : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State { Closed, Joining, Joined, Leaving, Errored };
    Q_ENUM(State)

    static constexpr int MaxBufferedPushes = 256;

    ~PhoenixChannel() override;

    QString topic() const;
    State state() const;
    QString joinRef() const;
    PhoenixSocket *socket() const;

    void setJoinPayload(const QJsonObject &payload);
    QJsonObject joinPayload() const;

    PhoenixPush *join(int timeoutMs = -1);
    PhoenixPush *push(const QString &event, const QJsonValue &payload, int timeoutMs = -1);
    PhoenixPush *pushBinary(const QString &event, const QByteArray &payload, int timeoutMs = -1);
    PhoenixPush *leave(int timeoutMs = -1);

    static int rejoinDelay(int attempt);
    int bufferedCount() const;

Q_SIGNALS:
    void stateChanged(PhoenixChannel::State state, PhoenixChannel::State oldState);
    void joined(const QJsonValue &response);
    void joinFailed(const QJsonValue &response);
    void joinTimedOut();
    void errored(const QString &reason);
    void closed();
    void messageReceived(const QString &event, const QJsonValue &payload);
    void binaryMessageReceived(const QString &event, const QByteArray &payload);

private:
    friend class PhoenixSocket;
    friend class PhoenixPush;
    PhoenixChannel(PhoenixSocket *socket, const QString &topic, const QJsonObject &payload);

    void setState(State state);
    PhoenixPush *makePush(const QString &event, int timeoutMs);
    void enqueue(PhoenixPush *push);
    void sendPush(PhoenixPush *push);
    void sendJoin();
    void flushBuffer();
    void scheduleRejoin();
    void cancelRejoin();
    void socketOpened();
    void socketClosed(const QString &reason);
    void handleMessage(const PhoenixMessage &message);
    void handleReply(PhoenixPush *push, const QString &status, const QJsonValue &response);
    void pushTimedOut(PhoenixPush *push);
    void abandonSentJoin();
    void goErrored(const QString &reason);
    void failInFlight(const QString &reason);
    void failBuffered(const QString &reason);
    void finishLeave();
    void pushFinished(PhoenixPush *push);
    bool isLeaveRequested() const;

    std::unique_ptr<PhoenixChannelPrivate> d;
};
