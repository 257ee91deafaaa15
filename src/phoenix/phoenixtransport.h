// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixglobal.h"

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QUrl>

class QSslConfiguration;

class MUSUBI_PHOENIX_EXPORT PhoenixTransport : public QObject
{
    Q_OBJECT
public:
    explicit PhoenixTransport(QObject *parent = nullptr);
    ~PhoenixTransport() override;

    virtual void open(const QUrl &url) = 0;
    virtual void close() = 0;
    virtual void sendText(const QByteArray &frame) = 0;
    virtual void sendBinary(const QByteArray &frame) = 0;

    virtual void setSslConfiguration(const QSslConfiguration &configuration);
    virtual void setMaxIncomingMessageSize(qint64 bytes);

Q_SIGNALS:
    void opened();
    void closed();
    void textReceived(const QByteArray &frame);
    void binaryReceived(const QByteArray &frame);
    void errorOccurred(const QString &message);
    void upgradeRefused(int statusCode, const QString &reasonPhrase);
};
