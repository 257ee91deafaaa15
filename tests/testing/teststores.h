// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

// Store definitions shared by the test-server tests: one written by
// subclassing, one built from lambdas.

#include <musubitestserver.h>

#include <QtCore/QJsonArray>

#include <stdexcept>

class PromoStore : public MusubiTestStore
{
    Q_OBJECT
public:
    PromoStore()
    {
        setState({{QStringLiteral("code"), QJsonValue()}});
        onCommand(QStringLiteral("apply"), [this](const QJsonObject &p) {
            setValue(QStringLiteral("code"), p.value(QStringLiteral("code")));
            pushEvent(QStringLiteral("toast"),
                      QJsonObject{{QStringLiteral("msg"), QStringLiteral("applied")}});
            return MusubiTestReply::noReply();
        });
    }
};

class ItemStore : public MusubiTestStore
{
    Q_OBJECT
public:
    explicit ItemStore(const QString &title)
    {
        setState({{QStringLiteral("title"), title}, {QStringLiteral("done"), false}});
        onCommand(QStringLiteral("toggle"), [this](const QJsonObject &) {
            setValue(QStringLiteral("done"), !value(QStringLiteral("done")).toBool());
            return MusubiTestReply::noReply();
        });
    }
};

// Test.CartStore: title, count, a stream "lines", a child "promo", a list of
// child stores "items", an async value "stats" and an upload "receipt".
class CartStore : public MusubiTestStore
{
    Q_OBJECT
public:
    CartStore()
    {
        declareUpload(QStringLiteral("receipt"),
                      MusubiTestUploadConfig{{QStringLiteral(".png")}, 2, 1000, 100, 5000});
        addChild({QStringLiteral("promo")}, new PromoStore);
        onCommand(QStringLiteral("increment"), [this](const QJsonObject &p) {
            setValue(QStringLiteral("count"),
                     value(QStringLiteral("count")).toInt()
                             + p.value(QStringLiteral("amount")).toInt(1));
            return MusubiTestReply::noReply();
        });
        onCommand(QStringLiteral("noop"),
                  [](const QJsonObject &) { return MusubiTestReply::noReply(); });
        onCommand(QStringLiteral("echo"),
                  [](const QJsonObject &p) { return MusubiTestReply::ok(p); });
        onCommand(QStringLiteral("fail"), [](const QJsonObject &) {
            return MusubiTestReply::error(QStringLiteral("nope"));
        });
        onCommand(QStringLiteral("throw"),
                  [](const QJsonObject &) -> MusubiTestReply { throw std::runtime_error("boom"); });
        onCommand(QStringLiteral("crash"), [](const QJsonObject &) {
            return MusubiTestReply::crash(QStringLiteral("asked to"));
        });
        onCommand(QStringLiteral("addItem"), [this](const QJsonObject &p) {
            const QString key = p.value(QStringLiteral("key")).toString();
            addChild({QStringLiteral("items"), key},
                     new ItemStore(p.value(QStringLiteral("title")).toString()));
            m_items.append(key);
            invalidate();
            return MusubiTestReply::ok({{QStringLiteral("key"), key}});
        });
        onCommand(QStringLiteral("removeItem"), [this](const QJsonObject &p) {
            const QString key = p.value(QStringLiteral("key")).toString();
            m_items.removeAll(key);
            removeChild({QStringLiteral("items"), key});
            return MusubiTestReply::noReply();
        });
        onCommand(QStringLiteral("addLine"), [this](const QJsonObject &p) {
            streamInsert(QStringLiteral("lines"), p.value(QStringLiteral("key")).toString(), p,
                         p.value(QStringLiteral("at")).toInt(-1), p.value(QStringLiteral("limit")));
            return MusubiTestReply::noReply();
        });
        onCommand(QStringLiteral("churnLines"), [this](const QJsonObject &) {
            // Queued in this order; flushed as reset, inserts, deletes.
            streamDelete(QStringLiteral("lines"), QStringLiteral("x"));
            streamInsert(QStringLiteral("lines"), QStringLiteral("gone"), QJsonObject());
            streamReset(QStringLiteral("lines"));
            streamDelete(QStringLiteral("lines"), QStringLiteral("y"));
            streamInsert(QStringLiteral("lines"), QStringLiteral("z"),
                         QJsonObject{{QStringLiteral("n"), 1}}, 0, -5);
            return MusubiTestReply::noReply();
        });
        onCommand(QStringLiteral("toast"), [this](const QJsonObject &p) {
            pushEvent(QStringLiteral("toast"), p);
            return MusubiTestReply::noReply();
        });
        onCommand(QStringLiteral("load"), [this](const QJsonObject &p) {
            const QString status = p.value(QStringLiteral("status")).toString();
            if (status == QStringLiteral("loading"))
                setValue(QStringLiteral("stats"),
                         asyncLoading(value(QStringLiteral("stats"))
                                              .toObject()
                                              .value(QStringLiteral("result"))));
            else if (status == QStringLiteral("ok"))
                setValue(QStringLiteral("stats"), asyncOk(p.value(QStringLiteral("result"))));
            else
                setValue(QStringLiteral("stats"),
                         asyncFailed(
                                 QJsonObject{{QStringLiteral("kind"), QStringLiteral("error")},
                                             {QStringLiteral("value"), QStringLiteral("nope")}}));
            return MusubiTestReply::noReply();
        });
    }

    void mount(const QJsonObject &params) override
    {
        setState({{QStringLiteral("title"),
                   params.value(QStringLiteral("title")).toString(QStringLiteral("Cart"))},
                  {QStringLiteral("count"), 0},
                  {QStringLiteral("stats"), asyncLoading()}});
        streamInsert(QStringLiteral("lines"), QStringLiteral("line-a"),
                     QJsonObject{{QStringLiteral("sku"), QStringLiteral("a")}});
    }

    QJsonObject render() const override
    {
        QJsonObject out = state();
        out.insert(QStringLiteral("lines"), streamSlot(QStringLiteral("lines")));
        out.insert(QStringLiteral("promo"), childSlot({QStringLiteral("promo")}));
        QJsonArray items;
        for (const QString &key : m_items)
            items.append(childSlot({QStringLiteral("items"), key}));
        out.insert(QStringLiteral("items"), items);
        return out;
    }

private:
    QStringList m_items;
};

//! Registers Test.CartStore (subclass) and Test.Counter (lambdas; refuses id "nope").
inline void registerTestStores(MusubiTestServer &server)
{
    server.registerRoot<CartStore>(QStringLiteral("Test.CartStore"));
    server.registerRoot(
            QStringLiteral("Test.Counter"),
            [](const MusubiTestMount &m, QString *refusal) -> MusubiTestStore * {
                if (m.instanceId == QStringLiteral("nope")) {
                    *refusal = QStringLiteral("not_found");
                    return nullptr;
                }
                auto *store = new MusubiTestStore;
                store->setState({{QStringLiteral("count"),
                                  m.params.value(QStringLiteral("count")).toInt()}});
                store->onCommand(QStringLiteral("increment"), [store](const QJsonObject &p) {
                    store->setValue(QStringLiteral("count"),
                                    store->value(QStringLiteral("count")).toInt()
                                            + p.value(QStringLiteral("amount")).toInt(1));
                    return MusubiTestReply::noReply();
                });
                return store;
            });
}
