// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmltestrootstore.h"

#include <musubitestserver.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtQml/QJSEngine>
#include <QtQml/QQmlEngine>

using namespace Qt::StringLiterals;

// The test server's category: what a QML store definition does wrong is reported there.
Q_LOGGING_CATEGORY(lcTestServer, "musubi.testserver", QtInfoMsg)

namespace {

const QString kReplyTag = u"__musubi_test_reply__"_s;

QJsonObject toObject(const QJSValue &value)
{
    if (!value.isObject() || value.isCallable())
        return {};
    return QJsonObject::fromVariantMap(value.toVariant().toMap());
}

// A store whose commands and render go through its QML definition; the
// definition is looked up on every call, so editing `commands` in QML takes
// effect on live stores too.
class QmlDefinedStore : public MusubiTestStore
{
public:
    explicit QmlDefinedStore(MusubiQmlTestRootStore *definition)
        : m_definition(definition)
    { }

    MusubiTestReply handleCommand(const QString &name, const QJsonObject &payload) override
    {
        if (!m_definition)
            return MusubiTestReply::error(u"unknown command"_s);
        return m_definition->runCommand(this, name, payload);
    }

    void mount(const QJsonObject &) override
    {
        // Identity (instanceId, rootId, params) is known only from here on.
        if (m_definition)
            Q_EMIT m_definition->mounted(this);
    }

    QJsonObject render() const override
    {
        return m_definition ? m_definition->runRender(this) : state();
    }

private:
    QPointer<MusubiQmlTestRootStore> m_definition;
};

} // namespace

MusubiQmlTestRootStore::MusubiQmlTestRootStore(QObject *parent)
    : QObject(parent)
{ }

void MusubiQmlTestRootStore::setModule(const QString &module)
{
    if (m_module == module)
        return;
    m_module = module;
    Q_EMIT moduleChanged();
}

void MusubiQmlTestRootStore::setInitialState(const QJSValue &state)
{
    m_initialState = state;
    Q_EMIT initialStateChanged();
}

void MusubiQmlTestRootStore::setCommands(const QJSValue &commands)
{
    m_commands = commands;
    Q_EMIT commandsChanged();
}

void MusubiQmlTestRootStore::setRender(const QJSValue &render)
{
    m_render = render;
    Q_EMIT renderChanged();
}

void MusubiQmlTestRootStore::setRefuseReason(const QString &reason)
{
    if (m_refuseReason == reason)
        return;
    m_refuseReason = reason;
    Q_EMIT refuseReasonChanged();
}

QJsonObject MusubiQmlTestRootStore::replyError(const QString &reason) const
{
    return {{kReplyTag, u"error"_s}, {u"response"_s, QJsonObject{{u"reason"_s, reason}}}};
}

QJsonObject MusubiQmlTestRootStore::replyErrorResponse(const QJsonObject &response) const
{
    return {{kReplyTag, u"error"_s}, {u"response"_s, response}};
}

QJsonObject MusubiQmlTestRootStore::replyCrash() const
{
    return {{kReplyTag, u"crash"_s}};
}

MusubiTestStore *MusubiQmlTestRootStore::create(const MusubiTestMount &mount, QString *refusal)
{
    Q_UNUSED(mount);
    if (!m_refuseReason.isEmpty()) {
        *refusal = m_refuseReason;
        return nullptr;
    }
    auto *store = new QmlDefinedStore(this);
    QJSEngine::setObjectOwnership(store, QJSEngine::CppOwnership);
    store->setState(toObject(m_initialState));
    ++m_mountCount;
    Q_EMIT mountCountChanged();
    return store;
}

MusubiTestReply MusubiQmlTestRootStore::runCommand(MusubiTestStore *store, const QString &name,
                                                   const QJsonObject &payload)
{
    QJSEngine *engine = qjsEngine(this);
    const QJSValue function = m_commands.isObject() ? m_commands.property(name) : QJSValue();
    if (!engine || !function.isCallable())
        return MusubiTestReply::error(u"unknown command"_s);
    const QJSValue result =
            function.call({engine->toScriptValue(payload), engine->newQObject(store)});
    if (result.isError()) {
        qCWarning(lcTestServer).noquote() << "command" << name << "threw:" << result.toString();
        return MusubiTestReply::crash(result.toString());
    }
    if (result.isUndefined() || result.isNull())
        return MusubiTestReply::noReply();
    const QJsonObject object = toObject(result);
    const QString tag = object.value(kReplyTag).toString();
    if (tag == u"error"_s)
        return MusubiTestReply::errorResponse(object.value(u"response"_s).toObject());
    if (tag == u"crash"_s)
        return MusubiTestReply::crash(u"replyCrash()"_s);
    return MusubiTestReply::ok(object);
}

QJsonObject MusubiQmlTestRootStore::runRender(const MusubiTestStore *store)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine || !m_render.isCallable())
        return store->state();
    const QJSValue result =
            m_render.call({engine->newQObject(const_cast<MusubiTestStore *>(store))});
    if (result.isError()) {
        qCWarning(lcTestServer).noquote()
                << "render of" << m_module << "threw:" << result.toString();
        return store->state();
    }
    return toObject(result);
}
