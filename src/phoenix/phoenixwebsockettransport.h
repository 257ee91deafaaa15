// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "phoenixtransport.h"

#include <QtCore/QPointer>
#include <QtNetwork/QSslConfiguration>

class QWebSocket;

class MUSUBI_PHOENIX_EXPORT PhoenixWebSocketTransport : public PhoenixTransport
{
    Q_OBJECT
public:
    explicit PhoenixWebSocketTransport(QObject *parent = nullptr);
    ~PhoenixWebSocketTransport() override;

    void open(const QUrl &url) override;
    void close() override;
    void sendText(const QByteArray &frame) override;
    void sendBinary(const QByteArray &frame) override;
    void setSslConfiguration(const QSslConfiguration &configuration) override;
    void setMaxIncomingMessageSize(qint64 bytes) override;

    static int refusedUpgradeStatus(const QString &errorString, QString *reasonPhrase = nullptr);

private:
    void drop();
    void finish();

    QPointer<QWebSocket> m_socket;
    QSslConfiguration m_ssl;
    bool m_hasSsl = false;
    bool m_finished = false;
    bool m_connected = false;
    bool m_errorReported = false;
    bool m_upgradeRefused = false;
    qint64 m_maxMessageSize = 16 * 1024 * 1024;
};
