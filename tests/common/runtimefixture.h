// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// The fixture shared by the integration tests that drive MusubiConnection and
// MusubiRoot against MusubiTestServer over a real loopback WebSocket
// (tst_runtime, tst_faults): one server and one connection per test function,
// the protocol columns of their data tables, and the waits they all need.

#include <musubicommanderror.h>
#include <musubiconnection.h>
#include <musubiroot.h>
#include <musubitestserver.h>

#include <QtCore/QFuture>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtTest/QTest>

#include <functional>
#include <memory>
#include <optional>

namespace MusubiTests {

//! The error a finished command failed with, or nothing if it succeeded.
std::optional<MusubiCommandError> commandError(QFuture<QJsonValue> future);

//! "ok" or the kind of the command's error ("disconnected", ...).
QString outcome(QFuture<QJsonValue> future);

//! A patch envelope from version 1 to 2 of \a rootId carrying \a ops and \a streamOps.
QJsonObject patchEnvelope(const QString &rootId, const QJsonArray &ops,
                          const QJsonArray &streamOps = {});

//! An explicit protocol, as the prefix of the data rows that use it.
struct ProtocolRow
{
    const char *tag;
    MusubiConnection::Protocol protocol;
};

//! The two explicit protocols, each against a server that speaks both.
inline constexpr ProtocolRow ExplicitProtocols[] = {
        {"shared", MusubiConnection::Protocol::SharedChannel},
        {"per-root", MusubiConnection::Protocol::PerRootChannel},
};

//! Adds the columns RuntimeFixture::start() reads: serverProfile and protocol.
void addProtocolColumns();

//! Adds the protocol columns and one row per explicit protocol, tagged by it.
void addExplicitProtocols();

/*!
    Adds one row per explicit protocol, tagged "<protocol>/<tag>", with
    \a values in the columns that follow the protocol columns.
*/
template<typename... Values>
void addProtocolRows(const char *tag, const Values &...values)
{
    for (const ProtocolRow &row : ExplicitProtocols) {
        ((QTest::addRow("%s/%s", row.tag, tag) << MusubiTestServer::Profile::Both << row.protocol)
         << ... << values);
    }
}

/*!
    The base of the test objects: a listening server and a closed connection
    to it, created by setUpServer() (call it from init()) and destroyed by
    tearDown() (call it from cleanup()).
*/
class RuntimeFixture : public QObject
{
protected:
    //! \a waitMs bounds every wait of the suite (mount, command, settle).
    explicit RuntimeFixture(int waitMs);

    //! A fresh server serving \a module through \a factory, and a closed connection to it.
    bool setUpServer(const QString &module, MusubiTestServer::RootFactory factory);
    void tearDown();

    //! Applies the current row's serverProfile and protocol, and opens the connection.
    void start();
    bool perRoot() const;
    //! The topic \a root lives on with the active protocol.
    QString rootTopic(const MusubiRoot *root) const;

    bool waitLive(MusubiRoot *root) const { return waitLive(root, m_waitMs); }
    bool waitLive(MusubiRoot *root, int ms) const;
    //! Mounts \a root and waits for it to be live.
    bool mountLive(MusubiRoot *root) const;
    bool finishes(const QFuture<QJsonValue> &future) const { return finishes(future, m_waitMs); }
    static bool finishes(const QFuture<QJsonValue> &future, int ms);
    /*!
        Dispatches \a name to the root store of \a root with its reply withheld
        by the server; true once the server received it.
    */
    bool dispatchWithheld(MusubiRoot *root, QFuture<QJsonValue> *future,
                          const QString &name = QStringLiteral("increment"));
    /*!
        Calls \a record each time \a root goes Reconnecting: what it sees then
        is the last good state, which must stay visible while recovering.
    */
    QMetaObject::Connection onReconnecting(MusubiRoot *root, std::function<void()> record);
    //! The "count" of the root store of \a root; -1 without a store.
    static int storeCount(const MusubiRoot *root);

    std::unique_ptr<MusubiTestServer> m_server;
    std::unique_ptr<MusubiConnection> m_connection;

private:
    int m_waitMs;
};

} // namespace MusubiTests
