// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmltestfixture.h"

#include "musubistore.h"
#include "musubitestserver.h"
#include "musubiteststore.h"

#include <QtCore/QJsonArray>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpServer>

using namespace Qt::StringLiterals;

MusubiQmlTestFixture::MusubiQmlTestFixture(QObject *parent)
    : QObject(parent)
    , m_server(new MusubiTestServer(this))
{
    // 503 (not 401/403): a refused connection the client keeps retrying.
    m_server->setConnectAuthenticator([this](const QVariantMap &) { return m_refuse ? 503 : 0; });
    m_server->registerRoot(
            u"Test.Counter"_s,
            [this](const MusubiTestMount &mount, QString *refusal) -> MusubiTestStore * {
                if (m_refuseMounts) {
                    *refusal = u"unavailable"_s;
                    return nullptr;
                }
                return createCounter(mount.rootId, mount.params);
            });
    m_server->registerRoot(u"Test.List"_s,
                           [this](const MusubiTestMount &, QString *) { return createList(); });
    connect(m_server, &MusubiTestServer::rootMounted, this,
            [this](const QString &rootId, MusubiTestStore *root) {
                ++m_mountCount;
                emit mountCountChanged();
                emit rootMounted(rootId, root->mountParams());
            });
    connect(m_server, &MusubiTestServer::rootUnmounted, this, [this](const QString &rootId) {
        ++m_unmountCount;
        emit unmountCountChanged();
        emit rootUnmounted(rootId);
    });
    if (!m_server->listen())
        qFatal("MusubiQmlTestFixture: cannot listen on 127.0.0.1");
}

MusubiQmlTestFixture::~MusubiQmlTestFixture() = default;

QUrl MusubiQmlTestFixture::url() const
{
    return m_server->url();
}

void MusubiQmlTestFixture::setRefuseMounts(bool refuse)
{
    if (m_refuseMounts == refuse)
        return;
    m_refuseMounts = refuse;
    emit refuseMountsChanged();
}

QUrl MusubiQmlTestFixture::unusedUrl() const
{
    // A port the system just handed out and took back: nothing listens there now.
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("MusubiQmlTestFixture: cannot find a free port");
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(u"ws://127.0.0.1:%1/socket"_s.arg(port));
}

QString MusubiQmlTestFixture::requiredToken() const
{
    return m_server->requiredToken();
}

void MusubiQmlTestFixture::setRequiredToken(const QString &token)
{
    if (token == m_server->requiredToken())
        return;
    m_server->setRequiredToken(token);
    emit requiredTokenChanged();
}

void MusubiQmlTestFixture::setRefuseConnections(bool refuse)
{
    if (m_refuse == refuse)
        return;
    m_refuse = refuse;
    emit refuseConnectionsChanged();
}

// Test.List: `rows` is a list of child stores (["rows", id], each with a `label`) in the
// order of the `order` field; commands add, remove, reverse and rename.
MusubiTestStore *MusubiQmlTestFixture::createList()
{
    auto *root = new MusubiTestStore;
    const auto addRow = [root](const QString &id) {
        auto *row = new MusubiTestStore;
        row->setState({{u"label"_s, id}});
        root->addChild({u"rows"_s, id}, row);
    };
    QJsonArray order;
    for (const QString &id : {u"a"_s, u"b"_s, u"c"_s}) {
        addRow(id);
        order.append(id);
    }
    root->setState({{u"order"_s, order}});
    root->setRenderer([](const MusubiTestStore *store) {
        QJsonObject out = store->state();
        QJsonArray rows;
        for (const QJsonValue &id : out.value(u"order"_s).toArray())
            rows.append(store->childSlot({u"rows"_s, id.toString()}));
        out.insert(u"rows"_s, rows);
        return out;
    });
    root->onCommand(u"add"_s, [root, addRow](const QJsonObject &payload) {
        const QString id = payload.value(u"id"_s).toString();
        addRow(id);
        QJsonArray order = root->value(u"order"_s).toArray();
        order.append(id);
        root->setValue(u"order"_s, order);
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"remove"_s, [root](const QJsonObject &payload) {
        const QString id = payload.value(u"id"_s).toString();
        QJsonArray order = root->value(u"order"_s).toArray();
        for (qsizetype i = 0; i < order.size(); ++i) {
            if (order.at(i).toString() == id)
                order.removeAt(i--);
        }
        root->removeChild({u"rows"_s, id});
        root->setValue(u"order"_s, order);
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"reverse"_s, [root](const QJsonObject &) {
        const QJsonArray order = root->value(u"order"_s).toArray();
        QJsonArray reversed;
        for (qsizetype i = order.size() - 1; i >= 0; --i)
            reversed.append(order.at(i));
        root->setValue(u"order"_s, reversed);
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"rename"_s, [root](const QJsonObject &payload) {
        if (MusubiTestStore *row = root->childStore({u"rows"_s, payload.value(u"id"_s).toString()}))
            row->setValue(u"label"_s, payload.value(u"label"_s));
        return MusubiTestReply::noReply();
    });
    return root;
}

MusubiTestStore *MusubiQmlTestFixture::createCounter(const QString &rootId,
                                                     const QJsonObject &params)
{
    auto *root = new MusubiTestStore;
    QJsonObject state = m_database.value(rootId);
    if (state.isEmpty()) {
        state = {
                {u"count"_s, params.value(u"count"_s).toInt()},
                {u"label"_s, u"hello"_s},
                {u"note"_s, u"unchanged"_s},
                {u"lastToast"_s, QJsonValue::Null},
                {u"showCart"_s, true},
                {u"profile"_s, root->asyncLoading()},
        };
    } else if (params.contains(u"count"_s)) {
        state.insert(u"count"_s, params.value(u"count"_s));
    }
    root->setState(state);

    auto *cart = new MusubiTestStore;
    cart->setState({{u"total"_s, 0}});
    root->addChild({u"cart"_s}, cart);
    root->setRenderer([](const MusubiTestStore *store) {
        QJsonObject out = store->state();
        out.insert(u"cart"_s,
                   out.value(u"showCart"_s).toBool() ? QJsonValue(store->childSlot({u"cart"_s}))
                                                     : QJsonValue(QJsonValue::Null));
        out.insert(u"messages"_s, store->streamSlot(u"messages"_s));
        return out;
    });

    const QPointer<MusubiTestStore> guard(root);
    connect(root, &MusubiTestStore::stateChanged, this, [this, guard, rootId] {
        if (guard)
            m_database.insert(rootId, guard->state());
    });

    root->onCommand(u"increment"_s, [root](const QJsonObject &payload) {
        const int count = root->value(u"count"_s).toInt() + payload.value(u"amount"_s).toInt(1);
        root->setValue(u"count"_s, count);
        return MusubiTestReply::ok({{u"count"_s, count}});
    });
    root->onCommand(u"setLabel"_s, [root](const QJsonObject &payload) {
        root->setValue(u"label"_s, payload.value(u"label"_s));
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"echo"_s, [](const QJsonObject &payload) {
        return MusubiTestReply::ok({{u"v"_s, payload.value(u"v"_s)}});
    });
    root->onCommand(u"fail"_s,
                    [](const QJsonObject &) { return MusubiTestReply::error(u"nope"_s); });
    root->onCommand(u"toast"_s, [root](const QJsonObject &payload) {
        root->setValue(u"lastToast"_s, payload.value(u"msg"_s));
        root->pushEvent(u"toast"_s, payload);
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"showCart"_s, [root](const QJsonObject &payload) {
        root->setValue(u"showCart"_s, payload.value(u"show"_s).toBool());
        return MusubiTestReply::noReply();
    });
    cart->onCommand(u"cartAdd"_s, [cart](const QJsonObject &payload) {
        const int total = cart->value(u"total"_s).toInt() + payload.value(u"price"_s).toInt();
        cart->setValue(u"total"_s, total);
        cart->pushEvent(u"added"_s, QJsonObject{{u"total"_s, total}});
        return MusubiTestReply::ok({{u"total"_s, total}});
    });
    return root;
}

MusubiTestStore *MusubiQmlTestFixture::find(const QString &rootId, const QStringList &child) const
{
    MusubiTestStore *root = m_server->mountedRoot(rootId);
    if (!root) {
        qWarning("Fixture: root %s is not mounted", qPrintable(rootId));
        return nullptr;
    }
    return child.isEmpty() ? root : root->childStore(child);
}

bool MusubiQmlTestFixture::isMounted(const QString &rootId) const
{
    return m_server->mountedRoot(rootId) != nullptr;
}

QJsonObject MusubiQmlTestFixture::mountParams(const QString &rootId) const
{
    const MusubiTestStore *root = m_server->mountedRoot(rootId);
    return root ? root->mountParams() : QJsonObject();
}

void MusubiQmlTestFixture::setValue(const QString &rootId, const QStringList &child,
                                    const QString &key, const QJsonValue &value)
{
    if (MusubiTestStore *store = find(rootId, child))
        store->setValue(key, value);
}

void MusubiQmlTestFixture::streamInsert(const QString &rootId, const QString &stream,
                                        const QString &key, const QJsonValue &item, int at)
{
    if (MusubiTestStore *store = find(rootId, {}))
        store->streamInsert(stream, key, item, at);
}

void MusubiQmlTestFixture::streamDelete(const QString &rootId, const QString &stream,
                                        const QString &key)
{
    if (MusubiTestStore *store = find(rootId, {}))
        store->streamDelete(stream, key);
}

void MusubiQmlTestFixture::setAsync(const QString &rootId, const QString &key,
                                    const QString &status, const QJsonValue &value)
{
    MusubiTestStore *store = find(rootId, {});
    if (!store)
        return;
    const QJsonValue previous = store->value(key).toObject().value(u"result"_s);
    if (status == u"loading"_s)
        store->setValue(key, store->asyncLoading(previous));
    else if (status == u"ok"_s)
        store->setValue(key, store->asyncOk(value));
    else
        store->setValue(key, store->asyncFailed(value, previous));
}

void MusubiQmlTestFixture::pushEvent(const QString &rootId, const QString &name,
                                     const QJsonValue &payload)
{
    if (MusubiTestStore *store = find(rootId, {}))
        store->pushEvent(name, payload);
}

bool MusubiQmlTestFixture::sendGappedEnvelope(const QString &rootId)
{
    // Its base version is far ahead of any version the root had: the client refuses it
    // (and recovers by rejoining).
    const QJsonObject envelope{
            {QStringLiteral("type"), QStringLiteral("patch")},
            {QStringLiteral("root_id"), rootId},
            {QStringLiteral("base_version"), 1000},
            {QStringLiteral("version"), 1001},
            {QStringLiteral("ops"), QJsonArray()},
            {QStringLiteral("stream_ops"), QJsonArray()},
            {QStringLiteral("upload_ops"), QJsonArray()},
            {QStringLiteral("events"), QJsonArray()},
    };
    return m_server->sendEnvelope(rootId, envelope);
}

void MusubiQmlTestFixture::dropConnections()
{
    m_server->dropConnections();
}

void MusubiQmlTestFixture::withholdNextCommandReply()
{
    m_server->withholdNextReply(u"command"_s);
}

void MusubiQmlTestFixture::resetDatabase()
{
    m_database.clear();
}

MusubiQmlTestCounterRoot::MusubiQmlTestCounterRoot(QObject *parent)
    : MusubiRoot(parent)
{
    // Unmount drops the store: the count reads 0 again.
    connect(this, &MusubiRoot::storeChanged, this, &MusubiQmlTestCounterRoot::countChanged);
}

int MusubiQmlTestCounterRoot::count() const
{
    return store() ? store()->value(u"count"_s).toInt() : 0;
}

void MusubiQmlTestCounterRoot::storesChangeEvent(const QList<QJsonArray> &storeIds)
{
    if (storeIds.contains(QJsonArray()))
        Q_EMIT countChanged();
}

void MusubiQmlTestCounterRoot::receiveEvent(const QJsonArray &, const QString &, const QJsonValue &)
{
    ++m_eventCount;
    Q_EMIT eventCountChanged();
}
