// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiqmltestrootstore.h"

#include <musubitestserver.h>

#include <QtCore/QPointer>
#include <QtQml/QQmlListProperty>
#include <QtQml/QQmlParserStatus>
#include <QtQml/qqml.h>

class MusubiQmlTestServer : public MusubiTestServer, public QQmlParserStatus
{
    Q_OBJECT
    QML_NAMED_ELEMENT(MusubiTestServer)
    Q_INTERFACES(QQmlParserStatus)
    Q_PROPERTY(QQmlListProperty<MusubiQmlTestRootStore> stores READ stores)
    Q_PROPERTY(bool autoListen READ autoListen WRITE setAutoListen NOTIFY autoListenChanged)
    Q_CLASSINFO("DefaultProperty", "stores")

public:
    explicit MusubiQmlTestServer(QObject *parent = nullptr);

    QQmlListProperty<MusubiQmlTestRootStore> stores();
    bool autoListen() const { return m_autoListen; }
    void setAutoListen(bool autoListen);

    // Registers definition (also done for every child MusubiTestRootStore).
    Q_INVOKABLE void addStore(MusubiQmlTestRootStore *definition);

    void classBegin() override { }
    void componentComplete() override;

Q_SIGNALS:
    void autoListenChanged();

private:
    void registerDefinition(MusubiQmlTestRootStore *definition);
    static void appendStore(QQmlListProperty<MusubiQmlTestRootStore> *list,
                            MusubiQmlTestRootStore *store);
    static qsizetype storeCount(QQmlListProperty<MusubiQmlTestRootStore> *list);
    static MusubiQmlTestRootStore *storeAt(QQmlListProperty<MusubiQmlTestRootStore> *list,
                                           qsizetype index);

    QList<QPointer<MusubiQmlTestRootStore>> m_stores;
    bool m_autoListen = true;
    bool m_complete = false;
};
