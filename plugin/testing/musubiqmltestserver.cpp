// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmltestserver.h"

MusubiQmlTestServer::MusubiQmlTestServer(QObject *parent)
    : MusubiTestServer(parent)
{ }

QQmlListProperty<MusubiQmlTestRootStore> MusubiQmlTestServer::stores()
{
    return QQmlListProperty<MusubiQmlTestRootStore>(this, nullptr, &appendStore, &storeCount,
                                                    &storeAt, nullptr);
}

void MusubiQmlTestServer::setAutoListen(bool autoListen)
{
    if (m_autoListen == autoListen)
        return;
    m_autoListen = autoListen;
    Q_EMIT autoListenChanged();
}

void MusubiQmlTestServer::addStore(MusubiQmlTestRootStore *definition)
{
    if (!definition || m_stores.contains(definition))
        return;
    m_stores.append(definition);
    connect(definition, &MusubiQmlTestRootStore::moduleChanged, this,
            [this, definition] { registerDefinition(definition); });
    if (m_complete)
        registerDefinition(definition);
}

void MusubiQmlTestServer::registerDefinition(MusubiQmlTestRootStore *definition)
{
    if (definition->module().isEmpty())
        return;
    QPointer<MusubiQmlTestRootStore> guard(definition);
    registerRoot(definition->module(), [guard](const MusubiTestMount &mount, QString *refusal) {
        return guard ? guard->create(mount, refusal) : nullptr;
    });
}

void MusubiQmlTestServer::componentComplete()
{
    m_complete = true;
    for (const auto &definition : std::as_const(m_stores)) {
        if (definition)
            registerDefinition(definition);
    }
    if (m_autoListen)
        listen(0);
}

void MusubiQmlTestServer::appendStore(QQmlListProperty<MusubiQmlTestRootStore> *list,
                                      MusubiQmlTestRootStore *store)
{
    static_cast<MusubiQmlTestServer *>(list->object)->addStore(store);
}

qsizetype MusubiQmlTestServer::storeCount(QQmlListProperty<MusubiQmlTestRootStore> *list)
{
    return static_cast<MusubiQmlTestServer *>(list->object)->m_stores.size();
}

MusubiQmlTestRootStore *MusubiQmlTestServer::storeAt(QQmlListProperty<MusubiQmlTestRootStore> *list,
                                                     qsizetype index)
{
    return static_cast<MusubiQmlTestServer *>(list->object)->m_stores.value(index);
}
