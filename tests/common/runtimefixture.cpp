// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "runtimefixture.h"

#include <musubistore.h>

#include <QtTest/QSignalSpy>

using namespace Qt::StringLiterals;

namespace MusubiTests {

std::optional<MusubiCommandError> commandError(QFuture<QJsonValue> future)
{
    try {
        future.result();
    } catch (const MusubiCommandError &error) {
        return error;
    }
    return std::nullopt;
}

QString outcome(QFuture<QJsonValue> future)
{
    if (const auto error = commandError(future))
        return error->kindName();
    return u"ok"_s;
}

QJsonObject patchEnvelope(const QString &rootId, const QJsonArray &ops, const QJsonArray &streamOps)
{
    return {{u"type"_s, u"patch"_s},
            {u"root_id"_s, rootId},
            {u"base_version"_s, 1},
            {u"version"_s, 2},
            {u"ops"_s, ops},
            {u"stream_ops"_s, streamOps},
            {u"upload_ops"_s, QJsonArray()},
            {u"events"_s, QJsonArray()}};
}

void addProtocolColumns()
{
    QTest::addColumn<MusubiTestServer::Profile>("serverProfile");
    QTest::addColumn<MusubiConnection::Protocol>("protocol");
}

void addExplicitProtocols()
{
    addProtocolColumns();
    for (const ProtocolRow &row : ExplicitProtocols)
        QTest::newRow(row.tag) << MusubiTestServer::Profile::Both << row.protocol;
}

RuntimeFixture::RuntimeFixture(int waitMs)
    : m_waitMs(waitMs)
{ }

bool RuntimeFixture::setUpServer(const QString &module, MusubiTestServer::RootFactory factory)
{
    m_server = std::make_unique<MusubiTestServer>();
    m_server->registerRoot(module, std::move(factory));
    if (!m_server->listen())
        return false;
    m_connection = std::make_unique<MusubiConnection>();
    m_connection->setUrl(m_server->url());
    return true;
}

void RuntimeFixture::tearDown()
{
    m_connection.reset();
    m_server.reset();
}

void RuntimeFixture::start()
{
    QFETCH(MusubiTestServer::Profile, serverProfile);
    QFETCH(MusubiConnection::Protocol, protocol);
    m_server->setProfile(serverProfile);
    m_connection->setProtocol(protocol);
    m_connection->open();
}

bool RuntimeFixture::perRoot() const
{
    return m_connection->activeProtocol() == MusubiConnection::Protocol::PerRootChannel;
}

QString RuntimeFixture::rootTopic(const MusubiRoot *root) const
{
    return perRoot() ? u"musubi:connection:"_s + root->rootId() : u"musubi:connection"_s;
}

bool RuntimeFixture::waitLive(MusubiRoot *root, int ms) const
{
    return QTest::qWaitFor([root] { return root->status() == MusubiRoot::Status::Live; }, ms);
}

bool RuntimeFixture::mountLive(MusubiRoot *root) const
{
    root->mount();
    return waitLive(root);
}

bool RuntimeFixture::finishes(const QFuture<QJsonValue> &future, int ms)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, ms);
}

bool RuntimeFixture::dispatchWithheld(MusubiRoot *root, QFuture<QJsonValue> *future,
                                      const QString &name)
{
    QSignalSpy received(m_server.get(), &MusubiTestServer::commandReceived);
    m_server->withholdNextReply(u"command"_s);
    *future = root->dispatch({}, name);
    return received.wait(m_waitMs);
}

QMetaObject::Connection RuntimeFixture::onReconnecting(MusubiRoot *root,
                                                       std::function<void()> record)
{
    return connect(root, &MusubiRoot::statusChanged, this,
                   [record = std::move(record)](MusubiRoot::Status status) {
                       if (status == MusubiRoot::Status::Reconnecting)
                           record();
                   });
}

int RuntimeFixture::storeCount(const MusubiRoot *root)
{
    return root->store() ? root->store()->value(u"count"_s).toInt() : -1;
}

} // namespace MusubiTests
